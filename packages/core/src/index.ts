export type {
  Coordinator,
  ProviderLimits,
  SlotDecision,
  SlotRequest,
  StoredBatch,
  StoredRecord,
} from './coordinate/coordinator.js';
export type { Deployment, DeploymentGroup } from './coordinate/deployments.js';
export { inMemoryCoordinator } from './coordinate/in-memory-coordinator.js';
export type { Cost, ModelPrice, PriceQuery, PriceSource } from './model/cost-types.js';
export type { TokenwireErrorCode, TokenwireErrorOptions } from './model/errors.js';
export {
  errorCodeFromStatus,
  isAbortError,
  isConnectionError,
  retryAfterMsFromHeaders,
  TokenwireError,
  toTokenwireError,
} from './model/errors.js';
export { redactSecrets, registerSecret } from './model/redact.js';
export type {
  Adapter,
  AdapterContext,
  AdapterDelta,
  ChatRequest,
  ChatResponseFormat,
  ChunkStream,
  ContentPart,
  ErrorEvent,
  FinishEvent,
  FinishReason,
  JsonSchema,
  Message,
  PartialDeep,
  PartialObjectEvent,
  PartialResult,
  ReasoningChunk,
  ReasoningPart,
  ResponseFormat,
  StartEvent,
  StepEvent,
  StepFinishEvent,
  StepStartEvent,
  StepSummary,
  StreamEvent,
  Timeouts,
  TokenChunk,
  Tool,
  ToolCall,
  ToolCallEvent,
  ToolChoice,
  ToolDefinition,
  ToolExecutionContext,
  ToolResultEvent,
  Usage,
} from './model/types.js';
export { fromGenaiPrices } from './observe/cost.js';
export type {
  ErrorHookEvent,
  FallbackHookEvent,
  FinishHookEvent,
  FirstContentHookEvent,
  HookStream,
  RequestHookEvent,
  RetryHookEvent,
  StepHookEvent,
  TokenwireHooks,
  ToolResultHookEvent,
  WarningHookEvent,
} from './observe/hook-types.js';
export type { ApiKeySource, ImageSource } from './request/request-helpers.js';
export { imageSourceOf, loadApiKey, toolCallArguments, toolCallInput } from './request/request-helpers.js';
export { requestProblem } from './request/request-problem.js';
export type { SettingKind } from './request/validate-settings.js';
export type { StreamRequest, Tokenwire, TokenwireConfig } from './runtime/create-tokenwire.js';
export { createTokenwire } from './runtime/create-tokenwire.js';
export type { Middleware, WrapStreamOptions } from './runtime/middleware.js';
export { wrapAdapter } from './runtime/middleware.js';
export type { AdapterModule, ModuleLoader, ProviderSettings } from './runtime/providers.js';
export type { RetryOptions } from './runtime/retry-policy.js';
export type { MaxBytes } from './runtime/stream-limits.js';
export type { StreamCompletionOptions, TokenStreamerOptions } from './runtime/token-streamer.js';
export { TokenStreamer } from './runtime/token-streamer.js';
export type { TokenwireStream } from './runtime/tokenwire-stream.js';
export type { ResumableOptions } from './sse/resumable-sse.js';
export { DEFAULT_RETAIN_MS } from './sse/resumable-sse.js';
export type { ParseSSEOptions, ReconnectOptions, SSEEvents, ToSSEOptions } from './sse/sse.js';
export { parseSSE, sseHeaders, toSSE } from './sse/sse.js';
export type { ServeSSEOptions, SSERequest, SSEResponse } from './sse/sse-resume.js';
export { cancelSSE, resumeSSE, serveSSE } from './sse/sse-resume.js';
export { tool } from './tools/resolve-tools.js';
export { deltasFromChunkStream } from './transport/chunk-stream.js';
export type { AdapterParts, VendorAdapter } from './transport/define-adapter.js';
export { defineAdapter } from './transport/define-adapter.js';
export type { ByteStream, ReadRecordsOptions, ReadSSEOptions, SSERecord } from './transport/read-records.js';
export { readNDJSON, readSSE } from './transport/read-records.js';
export type { NDJSONDecoderOptions } from './transport/record-decoders.js';
export { NDJSONDecoder, SSEDecoder } from './transport/record-decoders.js';
