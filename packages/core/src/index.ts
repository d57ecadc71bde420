export { deltasFromChunkStream } from './chunk-stream.js';
export type {
  Coordinator,
  ProviderLimits,
  SlotDecision,
  SlotRequest,
  StoredBatch,
  StoredRecord,
} from './coordinator.js';
export { fromGenaiPrices } from './cost.js';
export type { Cost, ModelPrice, PriceQuery, PriceSource } from './cost-types.js';
export type { StreamRequest, Tokenwire, TokenwireConfig } from './create-tokenwire.js';
export { createTokenwire } from './create-tokenwire.js';
export type { AdapterParts, VendorAdapter } from './define-adapter.js';
export { defineAdapter } from './define-adapter.js';
export type { Deployment, DeploymentGroup } from './deployments.js';
export type { TokenwireErrorCode, TokenwireErrorOptions } from './errors.js';
export {
  errorCodeFromStatus,
  isAbortError,
  isConnectionError,
  retryAfterMsFromHeaders,
  TokenwireError,
  toTokenwireError,
} from './errors.js';
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
} from './hook-types.js';
export { inMemoryCoordinator } from './in-memory-coordinator.js';
export type { Middleware, WrapStreamOptions } from './middleware.js';
export { wrapAdapter } from './middleware.js';
export type { AdapterModule, ModuleLoader, ProviderSettings } from './providers.js';
export type { ByteStream, ReadRecordsOptions, ReadSSEOptions, SSERecord } from './read-records.js';
export { readNDJSON, readSSE } from './read-records.js';
export type { NDJSONDecoderOptions } from './record-decoders.js';
export { NDJSONDecoder, SSEDecoder } from './record-decoders.js';
export { redactSecrets, registerSecret } from './redact.js';
export type { ApiKeySource, ImageSource } from './request-helpers.js';
export { imageSourceOf, loadApiKey, toolCallArguments, toolCallInput } from './request-helpers.js';
export { requestProblem } from './request-problem.js';
export { tool } from './resolve-tools.js';
export type { ResumableOptions } from './resumable-sse.js';
export { DEFAULT_RETAIN_MS } from './resumable-sse.js';
export type { RetryOptions } from './retry-policy.js';
export type { ParseSSEOptions, ReconnectOptions, SSEEvents, ToSSEOptions } from './sse.js';
export { parseSSE, sseHeaders, toSSE } from './sse.js';
export type { ServeSSEOptions, SSERequest, SSEResponse } from './sse-resume.js';
export { cancelSSE, resumeSSE, serveSSE } from './sse-resume.js';
export type { MaxBytes } from './stream-limits.js';
export type { StreamCompletionOptions, TokenStreamerOptions } from './token-streamer.js';
export { TokenStreamer } from './token-streamer.js';
export type { TokenwireStream } from './tokenwire-stream.js';
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
} from './types.js';
export type { SettingKind } from './validate-settings.js';
