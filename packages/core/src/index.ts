// What applications call. Adapter authors import `@tokenwire/core/adapter`; tokenwire's own packages
// and tests also use `@tokenwire/core/internal` (not a stable API).
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
export type { TokenwireErrorCode } from './model/errors.js';
export { TokenwireError } from './model/errors.js';
export { redactSecrets, registerSecret } from './model/redact.js';
export type {
  Adapter,
  ChatRequest,
  ChatResponseFormat,
  ContentPart,
  ErrorEvent,
  FileEvent,
  FilePart,
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
  TokenCount,
  Tool,
  ToolApproval,
  ToolApprovalRequestEvent,
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
export type { CountTokensRequest } from './runtime/count-tokens.js';
export type { StreamRequest, Tokenwire, TokenwireConfig } from './runtime/create-tokenwire.js';
export { createTokenwire } from './runtime/create-tokenwire.js';
export type { Environment } from './runtime/environment.js';
export type { Middleware, WrapStreamOptions } from './runtime/middleware.js';
export { wrapAdapter } from './runtime/middleware.js';
export type { AdapterModule, ModuleLoader } from './runtime/providers.js';
export type { RetryOptions } from './runtime/retry-policy.js';
export type { MaxBytes } from './runtime/stream-limits.js';
export type { StreamCompletionOptions, TokenStreamerOptions } from './runtime/token-streamer.js';
export { TokenStreamer } from './runtime/token-streamer.js';
export type { TokenwireStream } from './runtime/tokenwire-stream.js';
export type { UIMessageLike, UIMessagePartLike } from './sse/from-ui-messages.js';
export { fromUIMessages } from './sse/from-ui-messages.js';
export type { ResumableOptions } from './sse/resumable-sse.js';
export { DEFAULT_RETAIN_MS } from './sse/resumable-sse.js';
export type { ParseSSEOptions, ReconnectOptions, SSEEvents, ToSSEOptions } from './sse/sse.js';
export { parseSSE, sseHeaders, toSSE } from './sse/sse.js';
export type { ServeSSEOptions, SSERequest, SSEResponse } from './sse/sse-resume.js';
export { cancelSSE, resumeSSE, serveSSE } from './sse/sse-resume.js';
export type { UIMessageMetadata, UIMessageStreamOptions } from './sse/ui-message-stream.js';
export { toUIMessageStream, uiMessageStreamHeaders } from './sse/ui-message-stream.js';
export { tool } from './tools/resolve-tools.js';
export type { ByteStream } from './transport/read-records.js';
