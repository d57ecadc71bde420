// What tokenwire's own tests, benchmarks and sister packages need from @tokenwire/bedrock and users
// do not: not a stable API. Import it as `@tokenwire/bedrock/internal`.
export { bedrockStreamError, normalizeBedrockError } from './bedrock-errors.js';
export { toConverseStreamInput } from './bedrock-messages.js';
export type { BedrockStreamOptions, BedrockStreamState } from './bedrock-stream.js';
export { createBedrockStreamState, endBedrockStream, translateBedrockEvent } from './bedrock-stream.js';
export { usageOfBedrock } from './bedrock-usage.js';
export { mapBedrockFinishReason } from './map-bedrock-finish-reason.js';
