import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { TokenwireError } from '../model/errors.js';
import type { ChatResponseFormat, JsonSchema, ResponseFormat } from '../model/types.js';
import { isPlainObject, requestProblem } from './request-problem.js';

/** What core keeps of a structured request to check the answer: the mode and the schema to validate with. */
export interface StructuredOutput {
  /** `json`: parsed, not validated; `json_schema`: parsed and validated. */
  mode: 'json' | 'json_schema';
  /** The Standard Schema that validates (and may transform) the answer. */
  standard?: StandardSchemaV1;
  /** The JSON Schema that validates the answer, when no Standard Schema does. */
  jsonSchema?: JsonSchema;
}

/** A request's format as adapters get it, and what core needs to check the answer. */
export interface ResolvedFormat {
  chat: ChatResponseFormat | undefined;
  structured: StructuredOutput | undefined;
}

/** True for a Standard Schema (zod 4, valibot, arktype, …): an object with a `~standard.validate`. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const standard = (value as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  return typeof standard?.validate === 'function';
}

/**
 * Turns the caller's `responseFormat` into the one adapters map (always a JSON Schema) and the
 * checks of the answer. A Standard Schema gives its JSON Schema through the Standard JSON Schema
 * interface (`~standard.jsonSchema`, which zod 4 has); one that cannot must come with
 * `jsonSchema`, else this throws an `invalid_request` saying so.
 */
export function resolveResponseFormat(format: ResponseFormat | undefined): ResolvedFormat {
  if (format === undefined || format.type === 'text') return { chat: format, structured: undefined };
  if (format.type === 'json') return { chat: format, structured: { mode: 'json' } };
  const { schema, jsonSchema, name, strict } = format;
  const standard = isStandardSchema(schema) ? schema : undefined;
  const providerSchema =
    jsonSchema ??
    (standard === undefined ? (schema as JsonSchema) : standardJsonSchema(standard, 'responseFormat.schema'));
  const chat: ChatResponseFormat = { type: 'json_schema', schema: providerSchema };
  if (name !== undefined) chat.name = name;
  if (strict !== undefined) chat.strict = strict;
  const structured: StructuredOutput =
    standard === undefined
      ? { mode: 'json_schema', jsonSchema: providerSchema }
      : { mode: 'json_schema', standard };
  return { chat, structured };
}

type JsonSchemaConverter = { input?: (options: object) => unknown; output?: (options: object) => unknown };

/**
 * The JSON Schema of a Standard Schema, without `$schema` (providers refuse keywords they do not
 * know). Its output side first (closed objects, every key required: what strict modes want), else
 * its input side (a transform has no output JSON Schema, and the model writes what the schema reads).
 */
export function standardJsonSchema(standard: StandardSchemaV1, path: string): JsonSchema {
  const converter = (standard['~standard'] as { jsonSchema?: JsonSchemaConverter }).jsonSchema;
  if (converter?.output === undefined && converter?.input === undefined)
    throw cannotConvert(standard, path, 'it has no Standard JSON Schema converter');
  let converted: unknown;
  try {
    converted = converter.output?.({ target: 'draft-2020-12' });
  } catch (outputError) {
    try {
      converted = converter.input?.({ target: 'draft-2020-12' });
    } catch {
      throw cannotConvert(standard, path, (outputError as Error).message);
    }
  }
  if (!isPlainObject(converted))
    throw cannotConvert(standard, path, 'its converter gave no JSON Schema object');
  const { $schema: _dialect, ...rest } = converted;
  return rest;
}

function cannotConvert(standard: StandardSchemaV1, path: string, reason: string): TokenwireError {
  const instead =
    path === 'responseFormat.schema'
      ? 'pass the JSON Schema the provider should get as responseFormat.jsonSchema too'
      : 'pass the JSON Schema as parameters instead (and validate in execute)';
  return requestProblem(
    path,
    `is a Standard Schema from ${standard['~standard'].vendor} whose JSON Schema tokenwire cannot get (${reason}): ${instead} (zod 4 gives its own; for valibot use @valibot/to-json-schema, for arktype schema.toJsonSchema())`,
  );
}
