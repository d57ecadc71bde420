import type { ChatRequest, ContentPart, FilePart, Message } from '@tokenwire/core';
import {
  fileSourceOf,
  imageSourceOf,
  requestProblem,
  toolCallInput,
  toolResultText,
} from '@tokenwire/core/adapter';
import { toolNamesById } from '@tokenwire/core/internal';
import { toGoogleSchema } from './google-schema.js';
import type {
  GoogleContent,
  GoogleFunctionDeclaration,
  GoogleGenerationConfig,
  GoogleMediaPart,
  GooglePart,
  GoogleRequest,
} from './google-types.js';

type AssistantMessage = Extract<Message, { role: 'assistant' }>;
type ToolMessage = Extract<Message, { role: 'tool' }>;
type ImagePart = Extract<ContentPart, { type: 'image' }>;

/**
 * Maps a validated request to the body of a Gemini `streamGenerateContent` request (the REST
 * shape, which the legacy SDK sends as is): system messages become `systemInstruction`,
 * `assistant` the `model` role, tool calls `functionCall` parts (with their thought signature;
 * arguments that are not a JSON object are sent as `{}`, as on every provider), tool results
 * `functionResponse` parts named after their call, images `inlineData` (or `fileData` for a URL),
 * tools `functionDeclarations` with their schema reduced. Consecutive turns of the same role are
 * merged into one. `providerOptions.google` is merged in last (its `generationConfig` field by
 * field). Throws the `invalid_request` error of `requestProblem` for what Gemini cannot take: a
 * schema outside its subset, tool parameters that are not an object schema, an image URL of
 * unknown media type.
 *
 * @param provider the provider named in errors (default `'google'`).
 */
export function toGoogleRequest(request: ChatRequest, provider = 'google'): GoogleRequest {
  const systemParts: GooglePart[] = [];
  const contents: GoogleContent[] = [];
  const toolNames = toolNamesById(request.messages);
  for (const [index, message] of request.messages.entries()) {
    switch (message.role) {
      case 'system':
        systemParts.push({ text: message.content });
        break;
      case 'user':
        append(contents, 'user', userParts(message.content, `messages[${index}].content`, provider));
        break;
      case 'assistant':
        append(contents, 'model', assistantParts(message));
        break;
      case 'tool':
        append(contents, 'user', [
          functionResponsePart(message, toolNames, `messages[${index}].content`, provider),
        ]);
        break;
    }
  }
  const body: GoogleRequest = { contents, generationConfig: generationConfig(request, provider) };
  if (systemParts.length > 0) body.systemInstruction = { parts: systemParts };
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = [
      { functionDeclarations: tools.map((tool, index) => functionDeclaration(tool, index, provider)) },
    ];
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

function userParts(content: string | ContentPart[], path: string, provider: string): GooglePart[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.map((part, index) => {
    if (part.type === 'text') return { text: part.text };
    if (part.type === 'file') return filePart(part);
    return imagePart(part, `${path}[${index}]`, provider);
  });
}

/** A file as Gemini takes it: `inlineData` for bytes, `fileData` for a URI (`gs://`, Files API, https). */
function filePart(part: FilePart): GoogleMediaPart {
  const source = fileSourceOf(part);
  const named = part.filename === undefined ? {} : { displayName: part.filename };
  return source.kind === 'base64'
    ? { inlineData: { mimeType: source.mediaType, data: source.data, ...named } }
    : { fileData: { mimeType: source.mediaType, fileUri: source.url, ...named } };
}

/**
 * The parts of a model turn: thoughts, text, function calls. Gemini 3 rejects a replayed function
 * call without the thought signature it was streamed with, so the signature of a signature-only
 * reasoning part (what tokenwire reports for a signed call or answer part) goes onto the first
 * function call, or else onto the answer text. When the message has calls but only signed
 * reasoning text (reasoning folded into one part), that last signature moves to the first call.
 * `redactedData` (Anthropic's redacted thinking, OpenAI's encrypted reasoning) is another
 * provider's and Gemini has no field for it: it is not sent.
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
    functionCall: { name: call.name, args: toolCallInput(call) },
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

/**
 * A tool result: Gemini matches it to its call by function name, so the name is the call's (core
 * checked that an earlier assistant message made the call); the message's own name is the fallback.
 */
function functionResponsePart(
  message: ToolMessage,
  toolNames: ReadonlyMap<string, string>,
  path: string,
  provider: string,
): GooglePart {
  const name = toolNames.get(message.toolCallId) ?? message.name ?? '';
  const output = toolResultText(message.content);
  const response = message.isError ? { error: output } : { output };
  if (typeof message.content === 'string') return { functionResponse: { name, response } };
  // Images and files go in the function response's own parts (Gemini's multimodal function responses).
  // @see https://ai.google.dev/gemini-api/docs/function-calling#multimodal
  const parts: GoogleMediaPart[] = [];
  for (const [index, part] of message.content.entries()) {
    if (part.type === 'file') parts.push(filePart(part));
    else if (part.type === 'image')
      parts.push(imagePart(part, `${path}[${index}]`, provider) as GoogleMediaPart);
  }
  return { functionResponse: parts.length > 0 ? { name, response, parts } : { name, response } };
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

/** The media type of an image URL by its file extension (`.png`, `.jpg`, …), or undefined. */
function mediaTypeOfImageUrl(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : MEDIA_TYPE_OF_EXTENSION[extension];
}

/**
 * An image as `inlineData` (base64 bytes or a `data:` URL), or as `fileData` for a URL, which
 * Gemini reads itself (gs://, Files API and public https URLs) and for which it needs a mimeType.
 */
function imagePart(part: ImagePart, path: string, provider: string): GooglePart {
  const source = imageSourceOf(part);
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const mimeType = source.mediaType ?? mediaTypeOfImageUrl(source.url);
  if (mimeType === undefined) {
    throw requestProblem(
      `${path}.mediaType`,
      `is required for an image URL without a known extension (${Object.keys(MEDIA_TYPE_OF_EXTENSION).join(', ')}): Gemini's fileData needs a mimeType`,
      part.mediaType,
      provider,
    );
  }
  return { fileData: { fileUri: source.url, mimeType } };
}

function functionDeclaration(
  tool: NonNullable<ChatRequest['tools']>[number],
  index: number,
  provider: string,
): GoogleFunctionDeclaration {
  const declaration: GoogleFunctionDeclaration = { name: tool.name };
  if (tool.description) declaration.description = tool.description;
  if (tool.parameters !== undefined) {
    const path = `tools[${index}].parameters`;
    const parameters = toGoogleSchema(tool.parameters, path, provider);
    if (parameters.anyOf !== undefined || (parameters.type !== undefined && parameters.type !== 'OBJECT')) {
      throw requestProblem(
        path,
        'must be one object schema for Gemini (no anyOf or oneOf at its top)',
        tool.parameters,
        provider,
      );
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

function generationConfig(request: ChatRequest, provider: string): GoogleGenerationConfig {
  const config: GoogleGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  const format = request.responseFormat;
  if (format?.type === 'json' || format?.type === 'json_schema') config.responseMimeType = 'application/json';
  // Gemini always holds the answer to responseSchema (`strict: false` cannot loosen it) and has no
  // name for it: `name` only labels the schema in tokenwire.
  if (format?.type === 'json_schema')
    config.responseSchema = toGoogleSchema(format.schema, 'responseFormat.schema', provider);
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
