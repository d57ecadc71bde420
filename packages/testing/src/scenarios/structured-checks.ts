import { isDeepStrictEqual } from 'node:util';
import type { ChatResponseFormat } from '@tokenwire/core';
import { isRecord } from './request-checks.js';

/** The schema a `json_schema` format asks for; undefined for `json`. */
export function schemaOf(format: ChatResponseFormat): unknown {
  return format.type === 'json_schema' ? format.schema : undefined;
}

/** Problems when `sent` (found at `where`) is not the value the request must carry. */
export function sameProblems(where: string, sent: unknown, expected: unknown): string[] {
  return isDeepStrictEqual(sent, expected)
    ? []
    : [`${where}: must be ${JSON.stringify(expected)}, got ${JSON.stringify(sent)}`];
}

/** The texts of a message list: string contents and the text of text parts (any wire's `text` field). */
export function messageTexts(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  return messages.flatMap((message) => {
    if (!isRecord(message)) return [];
    if (typeof message.content === 'string') return [message.content];
    const parts = Array.isArray(message.content)
      ? message.content
      : Array.isArray(message.parts)
        ? message.parts
        : [];
    return parts.flatMap((part) => (isRecord(part) && typeof part.text === 'string' ? [part.text] : []));
  });
}

/**
 * Problems of the JSON-mode-plus-instructions fallback: some text must ask for JSON and, for a
 * schema, quote it (as `JSON.stringify` writes it).
 */
export function instructionProblems(texts: string[], format: ChatResponseFormat): string[] {
  const problems: string[] = [];
  if (!texts.some((text) => /json/i.test(text))) problems.push('messages: no instruction asks for JSON');
  const schema = schemaOf(format);
  if (schema !== undefined && !texts.some((text) => text.includes(JSON.stringify(schema))))
    problems.push('messages: no instruction quotes the schema');
  return problems;
}
