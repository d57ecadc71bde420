import type { Attributes } from '@opentelemetry/api';
import type { Cost, HookStream, Usage } from '@tokenwire/core';

/**
 * The names this package records, from the OpenTelemetry GenAI semantic conventions (v1.41.0, the
 * last release of open-telemetry/semantic-conventions that carries them; they now live in
 * open-telemetry/semantic-conventions-genai). Plain strings rather than
 * `@opentelemetry/semantic-conventions/incubating`: those constants are marked experimental and
 * deprecated ("moved"), and importing them would pin a package for a dozen names.
 *
 * @see https://github.com/open-telemetry/semantic-conventions/blob/v1.41.0/docs/gen-ai/gen-ai-spans.md
 */

/** `chat`, `execute_tool`: the operation a span or a measurement is about. */
export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** The provider as the convention names it (see `genAiProviderName`). */
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** The model the request was sent to. */
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
/** The request's temperature, when set. */
export const GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
/** The request's output token limit, when set. */
export const GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
/** The request's top_p, when set. */
export const GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
/** The request's seed, when set. */
export const GEN_AI_REQUEST_SEED = 'gen_ai.request.seed';
/** The request's stop sequences, when set. */
export const GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences';
/** `json` when the request asks for a JSON answer (`responseFormat`), `text` for an explicit text format. */
export const GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type';
/** The host requests go to (the adapter's `endpoint()`). */
export const SERVER_ADDRESS = 'server.address';
/** The port requests go to (the scheme's default when the URL names none). */
export const SERVER_PORT = 'server.port';
/** The model that answered. */
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
/** The provider's id of the response. */
export const GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
/** The finish reasons, one per choice: tokenwire streams have one. */
export const GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
/** Input tokens, cached reads included. */
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
/** Output tokens, reasoning included. */
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** `input` or `output`, on the token usage histogram. */
export const GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** The prompt messages as JSON (opt-in content). */
export const GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
/** The answer as JSON (opt-in content). */
export const GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
/** The executed tool's name. */
export const GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** The model's id of the tool call. */
export const GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
/** `function`: tokenwire runs the tool in the application. */
export const GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
/** The tool call's arguments as JSON (opt-in content). */
export const GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
/** What the tool returned, as JSON or text (opt-in content). */
export const GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
/** The class of error an operation ended with: the TokenwireError code, or `tool_error`. */
export const ERROR_TYPE = 'error.type';

/** The operation names this package uses. */
export const OPERATION_CHAT = 'chat';
/** The operation of the span around a tool loop's steps and tools (an agent run). */
export const OPERATION_INVOKE_AGENT = 'invoke_agent';
/** The operation of an executable tool's span. */
export const OPERATION_EXECUTE_TOOL = 'execute_tool';
/** `error.type` of an execute_tool span whose tool threw or got input that broke its schema. */
export const TOOL_ERROR = 'tool_error';

/** Span event of a retried attempt (the convention defines none: tokenwire's own namespace). */
export const RETRY_EVENT = 'tokenwire.retry';
/** Span event of a fallback to the next model of the list. */
export const FALLBACK_EVENT = 'tokenwire.fallback';
/** The attempt that failed, on retry and fallback events (1 for the stream's first). */
export const TOKENWIRE_ATTEMPT = 'tokenwire.attempt';
/** The wait before the retry, in milliseconds. */
export const TOKENWIRE_RETRY_DELAY_MS = 'tokenwire.retry.delay_ms';
/** The provider tried next, as tokenwire names it (`openai`, `deepseek`, …). */
export const TOKENWIRE_FALLBACK_PROVIDER = 'tokenwire.fallback.provider';
/** The model tried next. */
export const TOKENWIRE_FALLBACK_MODEL = 'tokenwire.fallback.model';

/** What the stream cost in USD, when `createTokenwire({ prices })` knows the model: not a gen_ai name. */
export const TOKENWIRE_COST = {
  total: 'tokenwire.cost.total_usd',
  input: 'tokenwire.cost.input_usd',
  cachedInput: 'tokenwire.cost.cached_input_usd',
  cacheWrite: 'tokenwire.cost.cache_write_usd',
  output: 'tokenwire.cost.output_usd',
  reasoning: 'tokenwire.cost.reasoning_usd',
} as const;

/**
 * tokenwire provider names (the `provider/` of a model string) whose `gen_ai.provider.name` is a
 * well-known value of the convention. Any other name (`ollama`, `qwen`, `vllm`, a custom adapter)
 * is kept as it is, which the convention allows ("a custom value MAY be used").
 */
const WELL_KNOWN_PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  // The google adapter calls generativelanguage.googleapis.com (the Gemini API): `gcp.gemini`.
  google: 'gcp.gemini',
  azure: 'azure.ai.openai',
  deepseek: 'deepseek',
  groq: 'groq',
  mistral: 'mistral_ai',
  xai: 'x_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
  bedrock: 'aws.bedrock',
  // Added to the list in open-telemetry/semantic-conventions-genai after v1.41.0.
  moonshot: 'moonshot_ai',
};

/** `gen_ai.provider.name` for a tokenwire provider name: the convention's well-known value, or the name itself. */
export function genAiProviderName(provider: string): string {
  return Object.hasOwn(WELL_KNOWN_PROVIDERS, provider)
    ? (WELL_KNOWN_PROVIDERS[provider] as string)
    : provider;
}

/** The chat span's attributes at its start: the operation, the provider, the model and the sampling settings given. */
export function requestAttributes(event: HookStream): Attributes {
  const { request } = event;
  const attributes: Attributes = {
    [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
    [GEN_AI_PROVIDER_NAME]: genAiProviderName(event.provider),
    [GEN_AI_REQUEST_MODEL]: request.model,
  };
  if (request.temperature !== undefined) attributes[GEN_AI_REQUEST_TEMPERATURE] = request.temperature;
  if (request.maxTokens !== undefined) attributes[GEN_AI_REQUEST_MAX_TOKENS] = request.maxTokens;
  if (request.topP !== undefined) attributes[GEN_AI_REQUEST_TOP_P] = request.topP;
  if (request.seed !== undefined) attributes[GEN_AI_REQUEST_SEED] = request.seed;
  if (request.stop !== undefined && request.stop.length > 0)
    attributes[GEN_AI_REQUEST_STOP_SEQUENCES] = request.stop;
  const format = request.responseFormat?.type;
  if (format !== undefined) attributes[GEN_AI_OUTPUT_TYPE] = format === 'text' ? 'text' : 'json';
  return attributes;
}

/** `server.address` and `server.port` of an attempt, when the adapter told them. */
export function serverAttributes(event: { serverAddress?: string; serverPort?: number }): Attributes {
  if (event.serverAddress === undefined) return {};
  const attributes: Attributes = { [SERVER_ADDRESS]: event.serverAddress };
  if (event.serverPort !== undefined) attributes[SERVER_PORT] = event.serverPort;
  return attributes;
}

/**
 * Token counts the provider reported. Estimated counts are left out: the convention asks for the
 * provider's (billable) counts and says not to report usage that cannot be obtained.
 */
export function usageAttributes(usage: Usage): Attributes {
  if (usage.estimated) return {};
  return { [GEN_AI_USAGE_INPUT_TOKENS]: usage.inputTokens, [GEN_AI_USAGE_OUTPUT_TOKENS]: usage.outputTokens };
}

/** The stream's cost under tokenwire's own names (the convention has none), when known. */
export function costAttributes(cost: Cost | undefined): Attributes {
  if (cost === undefined) return {};
  return {
    [TOKENWIRE_COST.total]: cost.total,
    [TOKENWIRE_COST.input]: cost.input,
    [TOKENWIRE_COST.cachedInput]: cost.cachedInput,
    [TOKENWIRE_COST.cacheWrite]: cost.cacheWrite,
    [TOKENWIRE_COST.output]: cost.output,
    [TOKENWIRE_COST.reasoning]: cost.reasoning,
  };
}
