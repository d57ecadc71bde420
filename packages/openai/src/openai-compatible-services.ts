import type { StructuredOutputSupport } from './openai-response-format.js';

/**
 * Known differences of an OpenAI-compatible service from OpenAI's own Chat Completions API.
 * Every field is optional; a missing field means "behaves like OpenAI".
 */
export interface OpenAICompatibleQuirks {
  /**
   * Whether the service accepts `stream_options: { include_usage: true }`. Default true. Even when
   * true, a service that rejects the field with HTTP 400/422 is retried once without it, and the
   * adapter remembers not to send it again.
   */
  streamOptions?: boolean;
  /**
   * The request field that carries `maxTokens`. OpenAI deprecated `max_tokens` in favour of
   * `max_completion_tokens` (reasoning models reject `max_tokens`); most compatible services
   * only know `max_tokens`. Default `'max_tokens'`; `'max_completion_tokens'` for OpenAI and Azure.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Whether the service needs an API key. Default true; local servers (vLLM, LM Studio) do not. */
  requiresApiKey?: boolean;
  /**
   * How the service takes `responseFormat`. Default `'native'` (`json_object` and `json_schema`,
   * as OpenAI). `'json_object'`: JSON mode only, so a schema is asked for as `json_object` plus a
   * system instruction quoting it; `'json_schema'`: schemas only, so `{ type: 'json' }` is sent as
   * the schema `{ type: 'object' }`; `'instructions'`: `response_format` is ignored, so only the
   * instruction is sent. Either way core parses and validates the answer, and the events are the same.
   */
  structuredOutput?: StructuredOutputSupport;
}

/** One OpenAI-compatible service: where it lives, where its key comes from and how it differs. */
export interface OpenAICompatibleService {
  /** The provider name used in model strings: `'deepseek'` in `'deepseek/deepseek-chat'`. */
  name: string;
  /** Base URL including the API version path, as the `openai` SDK expects it. */
  baseURL: string;
  /** The environment variable the API key is read from when none is configured. */
  apiKeyEnv: string;
  quirks?: OpenAICompatibleQuirks;
  /** Where the service documents its OpenAI compatibility. */
  docs?: string;
}

/**
 * OpenAI and the OpenAI-compatible services this package serves, by provider name. Aliases
 * (`dashscope`, `glm`, `kimi`) point at the same entry. Base URLs are the services' default
 * (mainland-China endpoints for Chinese services); override them with `baseURL`.
 * Azure is listed for its key variable; its client is the SDK's `AzureOpenAI`.
 */
export const OPENAI_COMPATIBLE_SERVICES: Readonly<Record<string, Readonly<OpenAICompatibleService>>> =
  indexByName([
    {
      name: 'openai',
      baseURL: 'https://api.openai.com/v1',
      apiKeyEnv: 'OPENAI_API_KEY',
      quirks: { maxTokensField: 'max_completion_tokens' },
      docs: 'https://platform.openai.com/docs/api-reference/chat',
    },
    {
      name: 'azure',
      // Built from `endpoint` (or AZURE_OPENAI_ENDPOINT) by the SDK's AzureOpenAI client.
      baseURL: '',
      apiKeyEnv: 'AZURE_OPENAI_API_KEY',
      quirks: { maxTokensField: 'max_completion_tokens' },
      docs: 'https://learn.microsoft.com/azure/ai-foundry/openai/reference',
    },
    {
      name: 'deepseek',
      baseURL: 'https://api.deepseek.com/v1',
      apiKeyEnv: 'DEEPSEEK_API_KEY',
      // JSON mode only (https://api-docs.deepseek.com/guides/json_mode): json_schema is a 400.
      quirks: { structuredOutput: 'json_object' },
      docs: 'https://api-docs.deepseek.com/',
    },
    {
      name: 'qwen',
      baseURL: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
      apiKeyEnv: 'DASHSCOPE_API_KEY',
      docs: 'https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope',
    },
    {
      name: 'zhipu',
      baseURL: 'https://open.bigmodel.cn/api/paas/v4',
      apiKeyEnv: 'ZHIPUAI_API_KEY',
      // `response_format` is text or json_object (https://docs.z.ai/guides/capabilities/struct-output).
      quirks: { structuredOutput: 'json_object' },
      docs: 'https://docs.bigmodel.cn/cn/guide/develop/openai/introduction',
    },
    {
      name: 'moonshot',
      baseURL: 'https://api.moonshot.cn/v1',
      apiKeyEnv: 'MOONSHOT_API_KEY',
      // JSON mode is documented; json_schema is not (https://platform.moonshot.ai/docs/guide/use-json-mode-feature-of-kimi-api).
      quirks: { structuredOutput: 'json_object' },
      docs: 'https://platform.moonshot.cn/docs/api/chat',
    },
    {
      name: 'doubao',
      baseURL: 'https://ark.cn-beijing.volces.com/api/v3',
      apiKeyEnv: 'ARK_API_KEY',
      docs: 'https://www.volcengine.com/docs/82379/1494384',
    },
    {
      name: 'siliconflow',
      baseURL: 'https://api.siliconflow.cn/v1',
      apiKeyEnv: 'SILICONFLOW_API_KEY',
      // JSON mode is documented for its models (https://docs.siliconflow.cn/en/userguide/guides/json-mode).
      quirks: { structuredOutput: 'json_object' },
      docs: 'https://docs.siliconflow.cn/cn/api-reference/chat-completions/chat-completions',
    },
    {
      name: 'minimax',
      baseURL: 'https://api.minimaxi.com/v1',
      apiKeyEnv: 'MINIMAX_API_KEY',
      // M2 models ignore `response_format` on /v1/chat/completions (MiniMax-AI/MiniMax-M2.5#4).
      quirks: { structuredOutput: 'instructions' },
      docs: 'https://platform.minimaxi.com/document/ChatCompletion%20v2',
    },
    {
      name: 'groq',
      baseURL: 'https://api.groq.com/openai/v1',
      apiKeyEnv: 'GROQ_API_KEY',
      docs: 'https://console.groq.com/docs/openai',
    },
    { name: 'xai', baseURL: 'https://api.x.ai/v1', apiKeyEnv: 'XAI_API_KEY', docs: 'https://docs.x.ai/' },
    {
      name: 'openrouter',
      baseURL: 'https://openrouter.ai/api/v1',
      apiKeyEnv: 'OPENROUTER_API_KEY',
      docs: 'https://openrouter.ai/docs/api-reference/overview',
    },
    {
      name: 'together',
      baseURL: 'https://api.together.xyz/v1',
      apiKeyEnv: 'TOGETHER_API_KEY',
      docs: 'https://docs.together.ai/docs/openai-api-compatibility',
    },
    {
      name: 'fireworks',
      baseURL: 'https://api.fireworks.ai/inference/v1',
      apiKeyEnv: 'FIREWORKS_API_KEY',
      docs: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility',
    },
    {
      name: 'mistral',
      baseURL: 'https://api.mistral.ai/v1',
      apiKeyEnv: 'MISTRAL_API_KEY',
      // Mistral validates request bodies strictly and reports usage on the finish chunk
      // without being asked, so `stream_options` is never sent.
      quirks: { streamOptions: false },
      docs: 'https://docs.mistral.ai/api/',
    },
    {
      name: 'vllm',
      baseURL: 'http://localhost:8000/v1',
      apiKeyEnv: 'VLLM_API_KEY',
      quirks: { requiresApiKey: false },
      docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
    },
    {
      name: 'lmstudio',
      baseURL: 'http://localhost:1234/v1',
      apiKeyEnv: 'LMSTUDIO_API_KEY',
      // json_schema only: json_object is a 400 (lmstudio-ai/lmstudio-bug-tracker#189).
      quirks: { requiresApiKey: false, structuredOutput: 'json_schema' },
      docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
    },
  ]);

/** Other names users write for the same services. */
const ALIASES: Readonly<Record<string, string>> = { dashscope: 'qwen', glm: 'zhipu', kimi: 'moonshot' };

/** The table entry for a provider name or alias, or undefined for an unknown name. */
export function findOpenAICompatibleService(name: string): Readonly<OpenAICompatibleService> | undefined {
  const key = Object.hasOwn(ALIASES, name) ? (ALIASES[name] as string) : name;
  return Object.hasOwn(OPENAI_COMPATIBLE_SERVICES, key) ? OPENAI_COMPATIBLE_SERVICES[key] : undefined;
}

function indexByName(
  services: OpenAICompatibleService[],
): Readonly<Record<string, Readonly<OpenAICompatibleService>>> {
  const table: Record<string, Readonly<OpenAICompatibleService>> = {};
  for (const service of services) table[service.name] = Object.freeze(service);
  return Object.freeze(table);
}
