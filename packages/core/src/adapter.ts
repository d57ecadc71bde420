// What adapter authors call, first-party and custom: `@tokenwire/core/adapter`. Applications
// import `@tokenwire/core`; tokenwire's own packages and tests also use `@tokenwire/core/internal`.

export { base64ToBytes, bytesToBase64, utf8ToBase64 } from './model/base64.js';
export type { TokenwireErrorCode, TokenwireErrorOptions } from './model/errors.js';
export {
  errorCodeFromStatus,
  isAbortError,
  isConnectionError,
  retryAfterMsFromHeaders,
  TokenwireError,
  toTokenwireError,
} from './model/errors.js';
export { registerSecret } from './model/redact.js';
export type {
  Adapter,
  AdapterContext,
  AdapterDelta,
  ChatRequest,
  ChatResponseFormat,
  ChunkStream,
  ContentPart,
  FilePart,
  FinishReason,
  JsonSchema,
  Message,
  ReasoningPart,
  TokenCount,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  Usage,
} from './model/types.js';
export type { FileSource, InlineSizeLimits, PartAt } from './request/file-helpers.js';
export {
  base64ByteLength,
  fileSourceOf,
  findPartProblem,
  inlineSizeProblem,
  toolResultText,
} from './request/file-helpers.js';
export type { ApiKeySource, ImageSource } from './request/request-helpers.js';
export { imageSourceOf, loadApiKey, toolCallArguments, toolCallInput } from './request/request-helpers.js';
export { requestProblem } from './request/request-problem.js';
export type { SettingKind } from './request/validate-settings.js';
export type { Environment } from './runtime/environment.js';
export { environmentOf, environmentValue } from './runtime/environment.js';
export type { ProviderSettings } from './runtime/providers.js';
export type { AdapterParts, SendContext, Sent, Translator } from './transport/adapter-parts.js';
export { deltasFromChunkStream } from './transport/chunk-stream.js';
export type { OpenAdapterParts, VendorAdapter } from './transport/define-adapter.js';
export { defineAdapter } from './transport/define-adapter.js';
export type { ByteStream, ReadRecordsOptions, ReadSSEOptions, SSERecord } from './transport/read-records.js';
export { readNDJSON, readSSE } from './transport/read-records.js';
export type { NDJSONDecoderOptions } from './transport/record-decoders.js';
export { NDJSONDecoder, SSEDecoder } from './transport/record-decoders.js';
export { responseError } from './transport/response-error.js';
export type { RecordDecoder, RecordDecoderOptions, Wire, WireFraming, WireRecord } from './transport/wire.js';
export { END_OF_STREAM } from './transport/wire.js';
