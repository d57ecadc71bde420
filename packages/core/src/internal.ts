// What tokenwire's own packages, tests and benchmarks need from core and users do not: not a
// stable API. Import it as `@tokenwire/core/internal`.
export { bodyExcerpt, looksLikeHtml } from './model/body-excerpt.js';
export { estimateTokens } from './model/estimate-tokens.js';
export { API_KEY_ENVIRONMENT_VARIABLES, registerEnvironmentSecrets } from './model/redact.js';
export {
  hasUrlCredentials,
  isSecretHeaderName,
  registerSecretFields,
  registerSecretHeaders,
} from './model/secret-headers.js';
export { unknownNameMessage } from './request/did-you-mean.js';
export type { ForcedToolAnswer } from './request/json-answer-tool.js';
export { forcedToolAnswerProblem, JSON_ANSWER_TOOL } from './request/json-answer-tool.js';
export { jsonInstruction, mentionsJson } from './request/json-instruction.js';
export { parseDataUrl, toolNamesById } from './request/request-helpers.js';
export {
  credentialedUrlProblem,
  describeValue,
  isPlainObject,
  settingProblem,
} from './request/request-problem.js';
export { findRequestProblem } from './request/validate-request.js';
export { checkSettings, findConfigProblem } from './request/validate-settings.js';
export { DEFAULT_IDLE_TIMEOUT_MS, parseModelString } from './runtime/create-tokenwire.js';
export type { RuntimeName } from './runtime/environment.js';
export { processEnvironment, requireNodeRuntime, runtimeName } from './runtime/environment.js';
export { installCommand } from './runtime/install-command.js';
export { PartialJsonParser } from './runtime/partial-json.js';
export {
  ADAPTER_OF_PROVIDER,
  adapterNameOf,
  importAdapterModule,
  isAdapter,
  isModuleNotFound,
  VENDOR_SDK_OF_ADAPTER,
} from './runtime/providers.js';
export type { ResolvedRetryOptions } from './runtime/retry-policy.js';
export { resolveRetryOptions } from './runtime/retry-policy.js';
export { StreamAccumulator } from './runtime/stream-accumulator.js';
export type { StreamLimits } from './runtime/stream-limits.js';
export { DEFAULT_LIMITS, limitError } from './runtime/stream-limits.js';
export type { StreamPlan, StreamTarget } from './runtime/stream-plan.js';
export { StreamRuntime } from './runtime/stream-runtime.js';
export { generateToolCallId } from './runtime/tool-call-assembler.js';
export type { ReadingParts } from './transport/adapter-transports.js';
export { directStream } from './transport/adapter-transports.js';
export { EMPTY_CHUNK_STREAM } from './transport/chunk-stream.js';
export type { BodyReads } from './transport/direct-body.js';
export { bodyChunkStream, responseBody } from './transport/direct-body.js';
export type { GuardOptions } from './transport/sdk-guard.js';
export { guardBody, RecordCount } from './transport/sdk-guard.js';
export type { SdkLogger } from './transport/sdk-logger.js';
export { sdkLogger } from './transport/sdk-logger.js';
export { framingOf } from './transport/wire.js';
export type { BodyHead } from './transport/wire-head.js';
export { WireReads } from './transport/wire-reads.js';
