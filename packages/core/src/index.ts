export { deltasFromChunkStream } from './chunk-stream.js';
export type { StreamRequest, Tokenwire, TokenwireConfig } from './create-tokenwire.js';
export { createTokenwire, DEFAULT_IDLE_TIMEOUT_MS, parseModelString } from './create-tokenwire.js';
export type { TokenwireErrorCode, TokenwireErrorOptions } from './errors.js';
export {
  errorCodeFromStatus,
  isAbortError,
  isConnectionError,
  retryAfterMsFromHeaders,
  TokenwireError,
  toTokenwireError,
} from './errors.js';
export { estimateTokens } from './estimate-tokens.js';
export type { AdapterModule, ModuleLoader, ProviderSettings } from './providers.js';
export { adapterNameOf, importAdapterModule, isAdapter } from './providers.js';
export type { ByteStream, ReadRecordsOptions, ReadSSEOptions, SSERecord } from './read-records.js';
export { readNDJSON, readSSE } from './read-records.js';
export { API_KEY_ENVIRONMENT_VARIABLES, redactSecrets, registerSecret } from './redact.js';
export type { ResolvedRetryOptions, RetryOptions } from './retry-policy.js';
export { resolveRetryOptions } from './retry-policy.js';
export type { ToSSEOptions } from './sse.js';
export { parseSSE, sseHeaders, toSSE } from './sse.js';
export { StreamAccumulator } from './stream-accumulator.js';
export type { StreamPlan, StreamTarget } from './stream-plan.js';
export type { StreamCompletionOptions, TokenStreamerOptions } from './token-streamer.js';
export { TokenStreamer } from './token-streamer.js';
export { TokenwireStream } from './tokenwire-stream.js';
export { generateToolCallId } from './tool-call-assembler.js';
export type {
  Adapter,
  AdapterContext,
  AdapterDelta,
  ChatRequest,
  ChunkStream,
  ContentPart,
  ErrorEvent,
  FinishEvent,
  FinishReason,
  JsonSchema,
  Message,
  PartialResult,
  ReasoningChunk,
  ReasoningPart,
  StartEvent,
  StreamEvent,
  Timeouts,
  TokenChunk,
  Tool,
  ToolCall,
  ToolCallEvent,
  ToolChoice,
  Usage,
} from './types.js';
