import type { ContentPart, ReasoningPart, StreamRequest, Tool } from '@tokenwire/core';
import {
  arrayAt,
  booleanAt,
  type Fields,
  isSet,
  nameAt,
  objectAt,
  oneOf,
  pathOf,
  stringAt,
} from './fields.js';

// Request pieces every dialect decodes the same way.

type Effort = NonNullable<NonNullable<StreamRequest['reasoning']>['effort']>;

/** An image part from a URL (`https://…` or a `data:` URL). */
export function imageOfUrl(url: string): ContentPart {
  return { type: 'image', url };
}

/** `stop`: one string or a list of them. */
export function stopOf(value: unknown, param: string): string[] {
  if (typeof value === 'string') return [value];
  return arrayAt(value, param).map((item, index) => stringAt(item, pathOf(param, index)));
}

/** A reasoning effort; `'none'` asks for no reasoning, which is tokenwire's default (undefined). */
export function reasoningEffortOf(value: unknown, param: string): Effort | undefined {
  const effort = oneOf(value, param, ['none', 'minimal', 'low', 'medium', 'high']);
  return effort === 'none' ? undefined : effort;
}

// A reasoning block's proof travels to Responses clients in `encrypted_content`, where OpenAI puts
// its encrypted reasoning. Anthropic and Gemini sign their blocks instead; their signatures go out
// with this prefix, so that a client's next request gives each back in its own field.
const SIGNATURE_PREFIX = 'tw-signature:';

/** The `encrypted_content` of a reasoning part, when it has one. */
export function encryptedContentOf(part: { signature?: string; redactedData?: string }): string | undefined {
  if (part.redactedData !== undefined) return part.redactedData;
  return part.signature === undefined ? undefined : `${SIGNATURE_PREFIX}${part.signature}`;
}

/** The reasoning part of an `encrypted_content` a client sent back. */
export function reasoningOfEncrypted(text: string, encrypted: string | undefined): ReasoningPart {
  if (encrypted === undefined) return { text };
  if (encrypted.startsWith(SIGNATURE_PREFIX))
    return { text, signature: encrypted.slice(SIGNATURE_PREFIX.length) };
  return { text, redactedData: encrypted };
}

/** A function tool from its fields: `name`, `description`, the schema under `schemaKey`, `strict`. */
export function toolOfFields(fields: Fields, param: string, schemaKey: string): Tool {
  const tool: Tool = { name: nameAt(fields.name, pathOf(param, 'name')) };
  if (isSet(fields.description))
    tool.description = stringAt(fields.description, pathOf(param, 'description'));
  if (isSet(fields[schemaKey])) tool.parameters = objectAt(fields[schemaKey], pathOf(param, schemaKey));
  if (isSet(fields.strict)) tool.strict = booleanAt(fields.strict, pathOf(param, 'strict'));
  return tool;
}
