import {
  type ChatRequest,
  type ContentPart,
  type Message,
  TokenwireError,
  type Tool,
  type ToolCall,
} from '@tokenwire/core';
import type {
  ChatRequest as OllamaChatRequest,
  Message as OllamaMessage,
  Tool as OllamaTool,
  Options,
} from 'ollama';

/** A tool call as sent back to Ollama: servers since 0.12 read an `id` the `ollama` types lack. */
type OllamaOutgoingToolCall = { id?: string; function: { name: string; arguments: Record<string, unknown> } };

/** A message as sent to Ollama, with the `tool_call_id` servers since 0.12 read. */
export type OllamaRequestMessage = Omit<OllamaMessage, 'tool_calls' | 'images'> & {
  images?: string[];
  tool_calls?: OllamaOutgoingToolCall[];
  tool_call_id?: string;
};

/** The parameters of `ollama.chat()` that tokenwire sends: always streaming. */
export type OllamaStreamingChatRequest = Omit<OllamaChatRequest, 'messages' | 'stream'> & {
  messages: OllamaRequestMessage[];
  stream: true;
};

/** Adapter settings that shape every request. */
export interface OllamaRequestSettings {
  /** How long the model stays loaded after the request (`'5m'`, `'1h'`, seconds, `-1` forever, `0` unload). */
  keepAlive?: string | number;
  /** Provider name used in errors. Default 'ollama'. */
  provider?: string;
}

/**
 * Maps a normalized request to the parameters of `ollama.chat({ stream: true })`:
 * - roles as they are; a user's text parts joined by newlines, its images as base64 `images`
 *   (`data:` URLs are stripped to their base64; `http(s)` URLs are rejected, Ollama cannot fetch them);
 * - assistant `toolCalls` with object arguments and `reasoning` as `thinking`;
 * - tool results with `tool_name`, recovered from the assistant call they answer, and `tool_call_id`;
 * - `tools`; `toolChoice: 'none'` sends no tools and `{ name }` only that tool (Ollama cannot force a call);
 * - `format` from `responseFormat` (a JSON schema, or `'json'`), `think` from `reasoning`;
 * - `options`: `temperature`, `top_p`, `num_predict` (from `maxTokens`), `stop`, `seed`; `keep_alive`;
 * - then `providerOptions.ollama`, merged over the result (`options` key by key).
 *
 * Throws a TokenwireError of code `invalid_request` for what Ollama cannot take.
 */
export function toOllamaChatRequest(
  request: ChatRequest,
  settings: OllamaRequestSettings = {},
): OllamaStreamingChatRequest {
  const provider = settings.provider ?? 'ollama';
  const params: OllamaStreamingChatRequest = {
    model: request.model,
    messages: toOllamaMessages(request.messages, provider),
    stream: true,
  };
  const tools = toOllamaTools(request, provider);
  if (tools !== undefined) params.tools = tools;
  const format = request.responseFormat;
  if (format?.type === 'json_schema') params.format = format.schema;
  else if (format?.type === 'json') params.format = 'json';
  const think = thinkOf(request.reasoning);
  if (think !== undefined) params.think = think;
  const options = optionsOf(request);
  if (options !== undefined) params.options = options;
  if (settings.keepAlive !== undefined) params.keep_alive = settings.keepAlive;
  return mergeProviderOptions(params, request.providerOptions?.ollama);
}

/** Maps normalized messages to Ollama messages; see `toOllamaChatRequest`. */
export function toOllamaMessages(messages: readonly Message[], provider = 'ollama'): OllamaRequestMessage[] {
  const toolNames = new Map<string, string>();
  const result: OllamaRequestMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        result.push({ role: 'system', content: message.content });
        break;
      case 'user':
        result.push(userMessage(message.content, provider));
        break;
      case 'assistant': {
        const mapped: OllamaRequestMessage = { role: 'assistant', content: message.content ?? '' };
        const thinking = message.reasoning?.map((part) => part.text).join('');
        if (thinking) mapped.thinking = thinking;
        if (message.toolCalls !== undefined && message.toolCalls.length > 0) {
          mapped.tool_calls = message.toolCalls.map((call) => {
            toolNames.set(call.id, call.name);
            return { id: call.id, function: { name: call.name, arguments: argumentsObject(call, provider) } };
          });
        }
        result.push(mapped);
        break;
      }
      case 'tool': {
        // Ollama matches a result to its call by the tool's name (`tool_name`); the id alone is
        // read only by servers since 0.12.
        const mapped: OllamaRequestMessage = {
          role: 'tool',
          content: message.content,
          tool_call_id: message.toolCallId,
        };
        const name = message.name ?? toolNames.get(message.toolCallId);
        if (name !== undefined) mapped.tool_name = name;
        result.push(mapped);
        break;
      }
    }
  }
  return result;
}

function userMessage(content: string | ContentPart[], provider: string): OllamaRequestMessage {
  if (typeof content === 'string') return { role: 'user', content };
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'image') images.push(imageBase64(part, provider));
  }
  const message: OllamaRequestMessage = { role: 'user', content: texts.join('\n') };
  if (images.length > 0) message.images = images;
  return message;
}

const DATA_URL = /^data:[^,]*?;base64,/i;

/** Ollama takes images only as bare base64 (`images: ["iVBOR…"]`), never as URLs. */
function imageBase64(part: Extract<ContentPart, { type: 'image' }>, provider: string): string {
  const source = part.data ?? part.url;
  if (source === undefined || source === '') {
    throw invalidRequest(provider, 'An image part has neither `data` nor `url`.');
  }
  const dataUrl = DATA_URL.exec(source);
  if (dataUrl !== null) return source.slice(dataUrl[0].length);
  if (part.data !== undefined) return part.data;
  if (/^https?:\/\//i.test(source)) {
    throw invalidRequest(
      provider,
      `Ollama takes images only as base64, and this image is a URL (${describeUrl(source)}). ` +
        "Download it and pass { type: 'image', data: <base64>, mediaType } instead.",
    );
  }
  throw invalidRequest(
    provider,
    'Ollama takes images only as base64: pass `data`, or a `data:<type>;base64,…` URL, not a URL of another kind.',
  );
}

/** Only origin and path: a signed URL's query string may hold credentials. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'an http URL';
  }
}

/** Ollama wants arguments as an object; tokenwire keeps them as JSON text (and `input` when parsed). */
function argumentsObject(call: ToolCall, provider: string): Record<string, unknown> {
  if (isPlainObject(call.input)) return call.input;
  if (call.arguments.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch (error) {
    throw invalidRequest(
      provider,
      `The arguments of tool call '${call.name}' (${call.id}) are not valid JSON, and Ollama needs them as an object.`,
      error,
    );
  }
  if (!isPlainObject(parsed)) {
    throw invalidRequest(
      provider,
      `The arguments of tool call '${call.name}' (${call.id}) are not a JSON object, and Ollama needs an object.`,
    );
  }
  return parsed;
}

function toOllamaTools(request: ChatRequest, provider: string): OllamaTool[] | undefined {
  const choice = request.toolChoice;
  let tools: readonly Tool[] | undefined = request.tools;
  if (tools === undefined || tools.length === 0 || choice === 'none') return undefined;
  if (typeof choice === 'object') {
    tools = tools.filter((tool) => tool.name === choice.name);
    if (tools.length === 0) {
      throw invalidRequest(
        provider,
        `toolChoice names the tool '${choice.name}', but no tool of that name is in tools.`,
      );
    }
  }
  return tools.map((tool) => {
    const mapped: OllamaTool = {
      type: 'function',
      function: {
        name: tool.name,
        // The `ollama` types narrow the schema; any JSON Schema object is sent as is.
        parameters: (tool.parameters ?? { type: 'object', properties: {} }) as NonNullable<
          OllamaTool['function']['parameters']
        >,
      },
    };
    if (tool.description !== undefined) mapped.function.description = tool.description;
    return mapped;
  });
}

/**
 * Ollama's `think` is a boolean, or a level (`'low' | 'medium' | 'high'`) that GPT-OSS needs.
 * An effort becomes that level (`minimal` → `low`, Ollama has no lower one); a zero budget or
 * `includeThoughts: false` without an effort turns thinking off; any other setting turns it on.
 * Without `reasoning` the model's default applies.
 */
function thinkOf(reasoning: ChatRequest['reasoning']): OllamaChatRequest['think'] {
  if (reasoning === undefined) return undefined;
  if (reasoning.effort !== undefined) return reasoning.effort === 'minimal' ? 'low' : reasoning.effort;
  if (reasoning.includeThoughts === false || reasoning.budgetTokens === 0) return false;
  return true;
}

function optionsOf(request: ChatRequest): Partial<Options> | undefined {
  const options: Partial<Options> = {};
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.topP !== undefined) options.top_p = request.topP;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) options.stop = request.stop;
  if (request.seed !== undefined) options.seed = request.seed;
  return Object.keys(options).length > 0 ? options : undefined;
}

function mergeProviderOptions(
  params: OllamaStreamingChatRequest,
  extra: Record<string, unknown> | undefined,
): OllamaStreamingChatRequest {
  if (extra === undefined) return params;
  const { options, ...rest } = extra;
  const merged = { ...params, ...rest, stream: true } as OllamaStreamingChatRequest;
  if (isPlainObject(options)) merged.options = { ...params.options, ...(options as Partial<Options>) };
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidRequest(provider: string, message: string, cause?: unknown): TokenwireError {
  return new TokenwireError({ code: 'invalid_request', provider, message, cause });
}
