import type { ChatRequest, ContentPart, Message, Tool } from '@tokenwire/core';
import { imageSourceOf, toolCallInput } from '@tokenwire/core/adapter';
import { isPlainObject, toolNamesById } from '@tokenwire/core/internal';
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
}

/**
 * Maps a normalized request, validated by core and checked by `checkOllamaRequest`, to the
 * parameters of `ollama.chat({ stream: true })`:
 * - roles as they are; a user's text parts joined by newlines, its images as base64 `images`
 *   (`data:` URLs stripped to their base64);
 * - assistant `toolCalls` with object arguments (`{}` for arguments that are not a JSON object,
 *   as on every provider) and `reasoning` as `thinking`;
 * - tool results with `tool_name`, the name of the call they answer, and `tool_call_id`;
 * - `tools`; `toolChoice: 'none'` sends no tools and `{ name }` only that tool (Ollama cannot force a call);
 * - `format` from `responseFormat` (a JSON schema, or `'json'`), `think` from `reasoning`;
 * - `options`: `temperature`, `top_p`, `num_predict` (from `maxTokens`), `stop`, `seed`; `keep_alive`;
 * - then `providerOptions.ollama`, merged over the result (`options` key by key).
 */
export function toOllamaChatRequest(
  request: ChatRequest,
  settings: OllamaRequestSettings = {},
): OllamaStreamingChatRequest {
  const params: OllamaStreamingChatRequest = {
    model: request.model,
    messages: toOllamaMessages(request.messages),
    stream: true,
  };
  const tools = toOllamaTools(request);
  if (tools !== undefined) params.tools = tools;
  const format = request.responseFormat;
  // A schema's `name` has no place in `format`, and `strict` always holds: Ollama constrains
  // decoding to the schema (https://ollama.com/blog/structured-outputs).
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
export function toOllamaMessages(messages: readonly Message[]): OllamaRequestMessage[] {
  const toolNames = toolNamesById(messages);
  return messages.map((message) => toOllamaMessage(message, toolNames));
}

function toOllamaMessage(message: Message, toolNames: ReadonlyMap<string, string>): OllamaRequestMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return userMessage(message.content);
    case 'assistant': {
      const mapped: OllamaRequestMessage = { role: 'assistant', content: message.content ?? '' };
      const thinking = message.reasoning?.map((part) => part.text).join('');
      if (thinking) mapped.thinking = thinking;
      if (message.toolCalls !== undefined && message.toolCalls.length > 0) {
        mapped.tool_calls = message.toolCalls.map((call) => ({
          id: call.id,
          function: { name: call.name, arguments: toolCallInput(call) },
        }));
      }
      return mapped;
    }
    case 'tool': {
      // Ollama matches a result to its call by the tool's name (`tool_name`); the id alone is
      // read only by servers since 0.12. Ollama has no error flag: `isError` is not sent.
      const mapped: OllamaRequestMessage = {
        ...partsMessage('tool', message.content),
        tool_call_id: message.toolCallId,
      };
      const name = message.name ?? toolNames.get(message.toolCallId);
      if (name !== undefined) mapped.tool_name = name;
      return mapped;
    }
  }
}

function userMessage(content: string | ContentPart[]): OllamaRequestMessage {
  return partsMessage('user', content);
}

// Ollama's `images` go on any message, a tool result's screenshot too.
function partsMessage(role: 'user' | 'tool', content: string | ContentPart[]): OllamaRequestMessage {
  if (typeof content === 'string') return { role, content };
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'image') {
      // Ollama takes images only as bare base64 (`images: ["iVBOR…"]`); checkOllamaRequest refuses URLs.
      const source = imageSourceOf(part);
      if (source.kind === 'base64') images.push(source.data);
    }
  }
  const message: OllamaRequestMessage = { role, content: texts.join('\n') };
  if (images.length > 0) message.images = images;
  return message;
}

function toOllamaTools(request: ChatRequest): OllamaTool[] | undefined {
  const choice = request.toolChoice;
  let tools: readonly Tool[] | undefined = request.tools;
  if (tools === undefined || tools.length === 0 || choice === 'none') return undefined;
  // Ollama cannot force a call: a named choice offers that tool alone (core checked it is declared).
  if (typeof choice === 'object') tools = tools.filter((tool) => tool.name === choice.name);
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
 * An effort becomes that level (`minimal` → `low`, Ollama has no lower one), whatever the budget
 * (the knob of other providers); without one, a zero budget or `includeThoughts: false` turns
 * thinking off, and `{}` or `includeThoughts: true` turns it on. Without `reasoning` the model's
 * default applies. A budget above 0 alone is refused by `checkOllamaRequest`: Ollama has none.
 * (`includeThoughts: false` with an effort: the model thinks, and the translator drops the thoughts.)
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
