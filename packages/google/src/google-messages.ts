import {
  type ChatRequest,
  type ContentPart,
  type Message,
  TokenwireError,
  type ToolCall,
} from '@tokenwire/core';
import { toGoogleSchema } from './google-schema.js';
import type {
  GoogleContent,
  GoogleFunctionDeclaration,
  GoogleGenerationConfig,
  GooglePart,
  GoogleRequest,
} from './google-types.js';

type AssistantMessage = Extract<Message, { role: 'assistant' }>;
type ToolMessage = Extract<Message, { role: 'tool' }>;

/**
 * Maps a normalized request to the body of a Gemini `streamGenerateContent` request (the REST
 * shape, which the legacy SDK sends as is): system messages become `systemInstruction`,
 * `assistant` the `model` role, tool calls `functionCall` parts (with their thought signature),
 * tool results `functionResponse` parts named after their call, images `inlineData` (or
 * `fileData` for a URL), tools `functionDeclarations` with their schema reduced. Consecutive
 * turns of the same role are merged into one. `providerOptions.google` is merged in last
 * (its `generationConfig` field by field). Throws an `invalid_request` TokenwireError for what
 * Gemini cannot take.
 */
export function toGoogleRequest(request: ChatRequest): GoogleRequest {
  const systemParts: GooglePart[] = [];
  const contents: GoogleContent[] = [];
  const callNames = new Map<string, string>();
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        systemParts.push({ text: message.content });
        break;
      case 'user':
        append(contents, 'user', userParts(message.content));
        break;
      case 'assistant':
        for (const call of message.toolCalls ?? []) callNames.set(call.id, call.name);
        append(contents, 'model', assistantParts(message));
        break;
      case 'tool':
        append(contents, 'user', [functionResponsePart(message, callNames)]);
        break;
    }
  }
  const body: GoogleRequest = { contents, generationConfig: generationConfig(request) };
  if (systemParts.length > 0) body.systemInstruction = { parts: systemParts };
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = [{ functionDeclarations: tools.map(functionDeclaration) }];
    if (request.toolChoice !== undefined) body.toolConfig = toolConfig(request.toolChoice);
  }
  const extra = request.providerOptions?.google;
  if (extra !== undefined) {
    const { generationConfig: extraConfig, ...fields } = extra as { generationConfig?: object };
    Object.assign(body, fields);
    if (extraConfig !== undefined) Object.assign(body.generationConfig, extraConfig);
  }
  return body;
}

/** Gemini wants turns with parts; consecutive turns of one role are joined (tool results of parallel calls). */
function append(contents: GoogleContent[], role: 'user' | 'model', parts: GooglePart[]): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last?.role === role) (last.parts as GooglePart[]).push(...parts);
  else contents.push({ role, parts });
}

function userParts(content: string | ContentPart[]): GooglePart[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((part) => (part.type === 'text' ? { text: part.text } : imagePart(part)));
}

/**
 * The parts of a model turn: thoughts, text, function calls. Gemini 3 rejects a replayed function
 * call without the thought signature it was streamed with, so the signature of a signature-only
 * reasoning part (what tokenwire reports for a signed call or answer part) goes onto the first
 * function call, or else onto the answer text. When the message has calls but only signed
 * reasoning text (reasoning folded into one part), that last signature moves to the first call.
 */
function assistantParts(message: AssistantMessage): GooglePart[] {
  const thoughts: GooglePart[] = [];
  let partSignature: string | undefined;
  for (const reasoning of message.reasoning ?? []) {
    if (reasoning.text) {
      const thought: GooglePart = { text: reasoning.text, thought: true };
      if (reasoning.signature) thought.thoughtSignature = reasoning.signature;
      thoughts.push(thought);
    } else if (reasoning.signature) {
      partSignature = reasoning.signature;
    }
  }
  const calls: GooglePart[] = (message.toolCalls ?? []).map((call) => ({
    functionCall: { name: call.name, args: argumentsOf(call) },
  }));
  const text: GooglePart[] = message.content ? [{ text: message.content }] : [];
  const first = calls[0];
  if (first !== undefined && partSignature === undefined) {
    const signed = thoughts.findLast((thought) => thought.thoughtSignature !== undefined);
    if (signed !== undefined) {
      partSignature = signed.thoughtSignature;
      delete signed.thoughtSignature;
    }
  }
  const carrier = first ?? text[0];
  if (carrier !== undefined && partSignature !== undefined) carrier.thoughtSignature = partSignature;
  return [...thoughts, ...text, ...calls];
}

function argumentsOf(call: ToolCall): object {
  const isObject = (value: unknown): value is object =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(call.input)) return call.input;
  if (call.arguments.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch (error) {
    throw invalidRequest(`The arguments of tool call '${call.name}' (${call.id}) are not valid JSON`, error);
  }
  if (!isObject(parsed))
    throw invalidRequest(`The arguments of tool call '${call.name}' (${call.id}) are not a JSON object`);
  return parsed;
}

/** A tool result: Gemini matches it to its call by function name, so the name is recovered from the call. */
function functionResponsePart(message: ToolMessage, callNames: Map<string, string>): GooglePart {
  const name = message.name ?? callNames.get(message.toolCallId);
  if (name === undefined) {
    throw invalidRequest(
      `The tool result for call '${message.toolCallId}' cannot be sent to Gemini: no earlier assistant message made that call, so its function name is unknown. Set the message's name`,
    );
  }
  const response = message.isError ? { error: message.content } : { output: message.content };
  return { functionResponse: { name, response } };
}

const MEDIA_TYPE_OF_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

// The first base64 characters of each format's magic bytes.
const MEDIA_TYPE_OF_BASE64_PREFIX: ReadonlyArray<[string, string]> = [
  ['iVBORw0KGgo', 'image/png'],
  ['/9j/', 'image/jpeg'],
  ['R0lGOD', 'image/gif'],
  ['UklGR', 'image/webp'],
];

function imagePart(part: Extract<ContentPart, { type: 'image' }>): GooglePart {
  const dataUrl = part.url?.startsWith('data:')
    ? /^data:([^;,]+)?(?:;[^,]*)?,(.*)$/s.exec(part.url)
    : undefined;
  if (part.url?.startsWith('data:') && dataUrl === null)
    throw invalidRequest('An image data: URL is malformed');
  const data = part.data ?? dataUrl?.[2];
  if (data !== undefined) {
    const mimeType =
      part.mediaType ??
      dataUrl?.[1] ??
      MEDIA_TYPE_OF_BASE64_PREFIX.find(([prefix]) => data.startsWith(prefix))?.[1];
    if (mimeType === undefined)
      throw invalidRequest('An image has base64 data but no mediaType; set mediaType');
    return { inlineData: { mimeType, data } };
  }
  if (part.url !== undefined) {
    // Gemini reads gs://, Files API and public https URLs itself; it needs their media type.
    const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(part.url)?.[1]?.toLowerCase();
    const mimeType =
      part.mediaType ?? (extension === undefined ? undefined : MEDIA_TYPE_OF_EXTENSION[extension]);
    if (mimeType === undefined)
      throw invalidRequest(`The media type of the image ${part.url} is unknown; set mediaType`);
    return { fileData: { fileUri: part.url, mimeType } };
  }
  throw invalidRequest('An image part has neither url nor data');
}

function functionDeclaration(tool: NonNullable<ChatRequest['tools']>[number]): GoogleFunctionDeclaration {
  const declaration: GoogleFunctionDeclaration = { name: tool.name };
  if (tool.description) declaration.description = tool.description;
  if (tool.parameters !== undefined) {
    const parameters = toGoogleSchema(tool.parameters, `the parameters of tool '${tool.name}'`);
    if (parameters.anyOf !== undefined || (parameters.type !== undefined && parameters.type !== 'OBJECT')) {
      throw invalidRequest(`The parameters of tool '${tool.name}' must be an object schema for Gemini`);
    }
    // A function without parameters is declared without a schema (Gemini refuses an empty OBJECT).
    if (parameters.properties !== undefined) declaration.parameters = { type: 'OBJECT', ...parameters };
  }
  return declaration;
}

function toolConfig(
  choice: NonNullable<ChatRequest['toolChoice']>,
): NonNullable<GoogleRequest['toolConfig']> {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

function generationConfig(request: ChatRequest): GoogleGenerationConfig {
  const config: GoogleGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  const format = request.responseFormat;
  if (format?.type === 'json' || format?.type === 'json_schema') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    const what = format.name ? `the response schema '${format.name}'` : 'the response schema';
    config.responseSchema = toGoogleSchema(format.schema, what);
  }
  const reasoning = request.reasoning;
  if (reasoning !== undefined) {
    const thinking: NonNullable<GoogleGenerationConfig['thinkingConfig']> = {};
    // Gemini refuses a budget and a level together: the explicit budget wins.
    if (reasoning.budgetTokens !== undefined) thinking.thinkingBudget = reasoning.budgetTokens;
    else if (reasoning.effort !== undefined) thinking.thinkingLevel = reasoning.effort.toUpperCase();
    if (reasoning.includeThoughts !== undefined) thinking.includeThoughts = reasoning.includeThoughts;
    if (Object.keys(thinking).length > 0) config.thinkingConfig = thinking;
  }
  return config;
}

function invalidRequest(message: string, cause?: unknown): TokenwireError {
  return new TokenwireError({ code: 'invalid_request', provider: 'google', message: `${message}.`, cause });
}
