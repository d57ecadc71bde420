export { awsErrorType, bedrockConverseWire, bedrockInvokeWire } from './aws-wire-formats.js';
export type { ReadFixtureOptions } from './fixtures.js';
export { collect, readFixture, recordFixture } from './fixtures.js';
export { findInvariantViolations } from './invariants.js';
export type { MockAdapter, MockScript, MockStep } from './mock-adapter.js';
export { mockAdapter } from './mock-adapter.js';
export type { RecordedRequest, ReplayScript, ReplayServer } from './replay-server.js';
export { createReplayServer } from './replay-server.js';
export {
  anthropicScenarios,
  anthropicToolModeScenarios,
  validateAnthropicRequest,
} from './scenarios/anthropic.js';
export { anthropicBedrockScenarios, anthropicVertexScenarios } from './scenarios/anthropic-cloud.js';
export { bedrockScenarios, bedrockToolModeScenarios, validateBedrockRequest } from './scenarios/bedrock.js';
export { TINY_PNG_BASE64 } from './scenarios/conversation.js';
export { geminiScenarios, validateGeminiRequest } from './scenarios/gemini.js';
export { ollamaScenarios, validateOllamaRequest } from './scenarios/ollama.js';
export {
  openaiChatJsonModeScenarios,
  openaiChatScenarios,
  validateOpenaiChatRequest,
} from './scenarios/openai-chat.js';
export { openaiResponsesScenarios, validateOpenaiResponsesRequest } from './scenarios/openai-responses.js';
export type {
  ConformanceScenarios,
  ExpectedOutcome,
  StreamScenario,
  StructuredOutputScenario,
  TextScenario,
} from './scenarios/scenario-types.js';
export type { ReplyToolCall, ScriptedReply } from './scripted-reply.js';
export { replyPayloads, scriptedReply } from './scripted-reply.js';
export { findSecrets } from './secret-search.js';
export type { CustomWireFormat } from './wire-format.js';
export type { InBandErrorOptions, WireProtocol } from './wire-formats.js';
export {
  encodeInBandError,
  encodeRecord,
  errorBody,
  terminalRecord,
} from './wire-formats.js';
