import { TokenwireError } from '../model/errors.js';
import { registerSecret } from '../model/redact.js';
import type { ContentPart, Message, ToolCall } from '../model/types.js';
import { type Environment, environmentOf, environmentValue } from '../runtime/environment.js';
import { isPlainObject } from './request-problem.js';

/** An image part of a validated request, resolved: a URL to fetch, or base64 bytes with their type. */
export type ImageSource =
  | { kind: 'url'; url: string; mediaType?: string }
  | { kind: 'base64'; data: string; mediaType: string };

/** The media type and base64 data of a `data:<type>;base64,<data>` URL, or undefined for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  const header = comma === -1 ? '' : url.slice(5, comma);
  if (!header.endsWith(';base64')) return undefined;
  const mediaType = header.slice(0, -';base64'.length).split(';')[0] ?? '';
  return mediaType === '' ? undefined : { mediaType, data: url.slice(comma + 1) };
}

/**
 * Where an image part's bytes are: a `data:` URL becomes base64 with its media type, any other
 * URL stays a URL, `data` comes with its `mediaType`. The request was validated, so one of them is there.
 */
export function imageSourceOf(part: Extract<ContentPart, { type: 'image' }>): ImageSource {
  if (part.url !== undefined) {
    const inline = parseDataUrl(part.url);
    if (inline !== undefined)
      return { kind: 'base64', data: inline.data, mediaType: part.mediaType ?? inline.mediaType };
    return part.mediaType === undefined
      ? { kind: 'url', url: part.url }
      : { kind: 'url', url: part.url, mediaType: part.mediaType };
  }
  return { kind: 'base64', data: part.data ?? '', mediaType: part.mediaType ?? 'application/octet-stream' };
}

/**
 * The input of a tool call from the history, as an object, the same way for every provider:
 * its `input` when that is an object, else its arguments parsed; arguments that are not a JSON
 * object (a model's malformed call, kept in the conversation) are sent as `{}`.
 */
export function toolCallInput(call: ToolCall): Record<string, unknown> {
  if (isPlainObject(call.input)) return call.input;
  if (call.arguments.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    return isPlainObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** `toolCallInput` as JSON text, for providers that take arguments as text: the original text when it is a JSON object. */
export function toolCallArguments(call: ToolCall): string {
  const text = call.arguments.trim();
  if (text.startsWith('{')) {
    try {
      if (isPlainObject(JSON.parse(text))) return call.arguments;
    } catch {
      // not JSON: sent as {} below, as on every provider
    }
  }
  return isPlainObject(call.input) ? JSON.stringify(call.input) : '{}';
}

/**
 * The function name of each tool call in a conversation, by call id: providers that match a tool
 * result to its call by name (Gemini, Ollama) read the name of the call a `tool` message answers.
 */
export function toolNamesById(messages: readonly Message[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
  }
  return names;
}

/** Where `loadApiKey` looks for a key. */
export interface ApiKeySource {
  /** The configured key (`settings.apiKey`); wins over the environment. */
  apiKey: unknown;
  /** Environment variables to read, in order: `['GEMINI_API_KEY', 'GOOGLE_API_KEY']`. */
  environmentVariables: readonly string[];
  /** Named in the error: the provider whose settings take `apiKey`. */
  provider: string;
  /** Where the variables are read: a Worker's `env`, say. Defaults to `process.env` where it exists, else none. */
  environment?: Environment;
}

/**
 * The API key from settings or the environment, registered as a secret (so it is redacted from
 * every error). Throws a `configuration` TokenwireError naming the variable to set when there is
 * none, or when the configured key is not a string.
 */
export function loadApiKey(source: ApiKeySource): string {
  const { apiKey, provider, environmentVariables } = source;
  if (apiKey !== undefined && apiKey !== '') {
    if (typeof apiKey !== 'string') {
      throw new TokenwireError({
        code: 'configuration',
        provider,
        message: `The apiKey of provider '${provider}' must be a string.`,
      });
    }
    registerSecret(apiKey);
    return apiKey;
  }
  const environment = environmentOf(source.environment);
  for (const name of environmentVariables) {
    const value = environmentValue(environment, name);
    if (value !== undefined) {
      registerSecret(value);
      return value;
    }
  }
  const [first, ...others] = environmentVariables;
  const variables =
    others.length === 0
      ? `the ${first} environment variable`
      : `the ${first} (or ${others.join(', ')}) environment variable`;
  throw new TokenwireError({
    code: 'configuration',
    provider,
    message: `No API key for provider '${provider}': set ${variables}, or pass apiKey in the '${provider}' provider settings.`,
  });
}
