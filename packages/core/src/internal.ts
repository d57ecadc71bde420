// What tokenwire's own packages, tests and benchmarks need from core and users do not: not a
// stable API. Import it as `@tokenwire/core/internal`.
export { bodyExcerpt, looksLikeHtml } from './body-excerpt.js';
export { EMPTY_CHUNK_STREAM } from './chunk-stream.js';
export { DEFAULT_IDLE_TIMEOUT_MS, parseModelString } from './create-tokenwire.js';
export { unknownNameMessage } from './did-you-mean.js';
export type { BodyReads, SSEBodyReadsOptions } from './direct-body.js';
export { bodyChunkStream, responseBody, SSEBodyReads } from './direct-body.js';
export { estimateTokens } from './estimate-tokens.js';
export { installCommand } from './install-command.js';
export type { ForcedToolAnswer } from './json-answer-tool.js';
export { forcedToolAnswerProblem, JSON_ANSWER_TOOL } from './json-answer-tool.js';
export { jsonInstruction, mentionsJson } from './json-instruction.js';
export { PartialJsonParser } from './partial-json.js';
export { adapterNameOf, importAdapterModule, isAdapter, isModuleNotFound } from './providers.js';
export { API_KEY_ENVIRONMENT_VARIABLES, registerEnvironmentSecrets } from './redact.js';
export { parseDataUrl, toolNamesById } from './request-helpers.js';
export { credentialedUrlProblem, describeValue, isPlainObject, settingProblem } from './request-problem.js';
export type { ResolvedRetryOptions } from './retry-policy.js';
export { resolveRetryOptions } from './retry-policy.js';
export {
  hasUrlCredentials,
  isSecretHeaderName,
  registerSecretFields,
  registerSecretHeaders,
} from './secret-headers.js';
export { StreamAccumulator } from './stream-accumulator.js';
export type { StreamLimits } from './stream-limits.js';
export { DEFAULT_LIMITS, limitError } from './stream-limits.js';
export type { StreamPlan, StreamTarget } from './stream-plan.js';
export { StreamRuntime } from './stream-runtime.js';
export { generateToolCallId } from './tool-call-assembler.js';
export { findRequestProblem } from './validate-request.js';
export { checkSettings, findConfigProblem } from './validate-settings.js';
