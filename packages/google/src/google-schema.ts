import type { JsonSchema, TokenwireError } from '@tokenwire/core';
import { requestProblem } from '@tokenwire/core/adapter';
import type { GoogleSchema } from './google-types.js';

type Node = Record<string, unknown>;

// Keywords Gemini's `Schema` (an OpenAPI 3.0 subset) takes unchanged.
const NUMERIC_KEYWORDS = [
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
] as const;

// Keywords that change what is valid in a way Gemini cannot express, so dropping them would
// silently change the tool's contract: these are rejected.
const UNSUPPORTED_KEYWORDS = ['not', 'if', 'then', 'else', 'prefixItems', '$dynamicRef', '$recursiveRef'];

// `format`s Gemini accepts, by type (others are refused by the API with a 400).
const FORMATS: Readonly<Record<string, readonly string[]>> = {
  STRING: ['enum', 'date-time'],
  INTEGER: ['int32', 'int64'],
  NUMBER: ['float', 'double'],
};

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

/**
 * Reduces a JSON Schema to the subset Gemini accepts (`Schema`, OpenAPI 3.0 style): local `$ref`s
 * (`#/$defs/…`, `#/definitions/…`) are inlined; `type: [x, 'null']` and `anyOf` with a null member
 * become `nullable`; `oneOf` becomes `anyOf`; `allOf` of object schemas is merged; `const` becomes
 * a one-value `enum`. Annotations and constraints Gemini does not know (`additionalProperties`,
 * `$schema`, `default`, `examples`, `multipleOf`, `uniqueItems`, non-string `enum`s, unsupported
 * `format`s, …) are dropped: the model then sees a looser schema (the README lists them). Throws
 * the `invalid_request` error of `requestProblem`, naming the keyword by its path, for what cannot
 * be expressed: recursive or remote `$ref`, `not`, `if`/`then`/`else`, tuples.
 *
 * @param path where the schema is in the request, e.g. `tools[0].parameters` or `responseFormat.schema`.
 * @param provider the provider named in errors (default `'google'`).
 */
export function toGoogleSchema(schema: JsonSchema, path = 'schema', provider = 'google'): GoogleSchema {
  return new SchemaReducer(schema, provider).reduce(schema, path, []);
}

class SchemaReducer {
  constructor(
    private readonly root: JsonSchema,
    private readonly provider: string,
  ) {}

  reduce(input: unknown, path: string, expanding: string[]): GoogleSchema {
    if (input === true || (typeof input === 'object' && input !== null && Object.keys(input).length === 0))
      return {};
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw this.error(path, 'must be a schema object', input);
    }
    let node = input as Node;
    for (const keyword of UNSUPPORTED_KEYWORDS) {
      if (node[keyword] !== undefined)
        throw this.error(`${path}.${keyword}`, "cannot be expressed in Gemini's schema", node[keyword]);
    }
    if (typeof node.$ref === 'string') return this.reduceRef(node, path, expanding);
    if (Array.isArray(node.allOf)) node = this.mergeAllOf(node, path);

    const result: GoogleSchema = {};
    if (typeof node.title === 'string') result.title = node.title;
    if (typeof node.description === 'string') result.description = node.description;
    if (node.nullable === true) result.nullable = true;

    const keyword = Array.isArray(node.anyOf) ? 'anyOf' : Array.isArray(node.oneOf) ? 'oneOf' : undefined;
    if (keyword !== undefined)
      return this.reduceVariants(node[keyword] as unknown[], result, `${path}.${keyword}`, expanding);
    // Several non-null types become `anyOf`, with nothing else of the node.
    if (!this.reduceType(node, result, path)) return result;
    copyConstraints(node, result);
    this.reduceChildren(node, result, path, expanding);
    return result;
  }

  /** A local `$ref`: its target expanded in place, with the keywords beside it. */
  private reduceRef(node: Node, path: string, expanding: string[]): GoogleSchema {
    const { $ref, ...siblings } = node as Node & { $ref: string };
    if (expanding.includes($ref))
      throw this.error(`${path}.$ref`, "is recursive, which Gemini's schema cannot express", $ref);
    const target = this.resolve($ref, `${path}.$ref`);
    return {
      ...this.reduce(target, path, [...expanding, $ref]),
      ...this.reduce(siblings, path, expanding),
    };
  }

  /** Sets `type` (upper-case) and `nullable`; false when the types became `anyOf` and the node is done. */
  private reduceType(node: Node, result: GoogleSchema, path: string): boolean {
    const types = (
      Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type]
    ) as unknown[];
    for (const type of types) {
      if (typeof type !== 'string' || !TYPES.has(type))
        throw this.error(`${path}.type`, `must be one of ${[...TYPES].join(', ')}`, type);
    }
    const nonNull = types.filter((type) => type !== 'null') as string[];
    if (nonNull.length < types.length && nonNull.length > 0) result.nullable = true;
    if (nonNull.length > 1) {
      result.anyOf = nonNull.map((type) => ({ type: type.toUpperCase() }));
      return false;
    }
    if (types.length > 0) result.type = (nonNull[0] ?? 'null').toUpperCase();
    return true;
  }

  /** `items` and `properties` reduced in turn, and the `required` names that have a property. */
  private reduceChildren(node: Node, result: GoogleSchema, path: string, expanding: string[]): void {
    if (node.items !== undefined) {
      if (Array.isArray(node.items))
        throw this.error(`${path}.items`, 'must be one schema: Gemini has no tuples', node.items);
      result.items = this.reduce(node.items, `${path}.items`, expanding);
    }
    if (typeof node.properties !== 'object' || node.properties === null) return;
    const properties: Record<string, GoogleSchema> = {};
    for (const [name, property] of Object.entries(node.properties)) {
      properties[name] = this.reduce(property, `${path}.properties.${name}`, expanding);
    }
    if (Object.keys(properties).length > 0) result.properties = properties;
    if (Array.isArray(node.required)) {
      // Gemini refuses a required name without a property.
      const required = node.required.filter(
        (name): name is string => typeof name === 'string' && name in properties,
      );
      if (required.length > 0) result.required = required;
    }
  }

  /** `anyOf`/`oneOf` at `path` (which names the keyword): null members become `nullable`. */
  private reduceVariants(
    variants: unknown[],
    result: GoogleSchema,
    path: string,
    expanding: string[],
  ): GoogleSchema {
    const isNull = (variant: unknown) => (variant as Node | null)?.type === 'null';
    if (variants.some(isNull)) result.nullable = true;
    const reduced: GoogleSchema[] = [];
    for (const [index, variant] of variants.entries()) {
      if (!isNull(variant)) reduced.push(this.reduce(variant, `${path}[${index}]`, expanding));
    }
    // `{ anyOf: [X, { type: 'null' }] }` (how zod writes `.nullable()`) is just a nullable X.
    if (reduced.length === 1) return { ...reduced[0], ...result };
    if (reduced.length === 0) return { ...result, type: 'NULL' };
    result.anyOf = reduced;
    return result;
  }

  private mergeAllOf(node: Node, path: string): Node {
    const { allOf, ...rest } = node;
    const merged: Node = { ...rest };
    for (const [index, raw] of (allOf as unknown[]).entries()) {
      const part = (
        typeof raw === 'object' && raw !== null && typeof (raw as Node).$ref === 'string'
          ? this.resolve((raw as Node).$ref as string, `${path}.allOf[${index}].$ref`)
          : raw
      ) as Node;
      if (typeof part !== 'object' || part === null)
        throw this.error(`${path}.allOf[${index}]`, 'must be a schema object', part);
      for (const [keyword, value] of Object.entries(part)) {
        if (keyword === 'properties')
          merged.properties = { ...(merged.properties as Node), ...(value as Node) };
        else if (keyword === 'required')
          merged.required = [...((merged.required as unknown[]) ?? []), ...(value as unknown[])];
        else if (merged[keyword] === undefined) merged[keyword] = value;
        else if (JSON.stringify(merged[keyword]) !== JSON.stringify(value)) {
          throw this.error(
            `${path}.allOf[${index}].${keyword}`,
            'conflicts with another member of allOf: Gemini has no allOf, so its members are merged',
            value,
          );
        }
      }
    }
    return merged;
  }

  /** Resolves a local JSON pointer (`#/$defs/Name`) in the root schema; `path` names the `$ref`. */
  private resolve(ref: string, path: string): unknown {
    if (!ref.startsWith('#'))
      throw this.error(path, 'must be a local reference (#/$defs/…), which is inlined for Gemini', ref);
    let target: unknown = this.root;
    for (const token of ref.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~');
      target = typeof target === 'object' && target !== null ? (target as Node)[key] : undefined;
    }
    if (target === undefined) throw this.error(path, 'must refer to a definition of the schema', ref);
    return target;
  }

  private error(path: string, rule: string, found: unknown): TokenwireError {
    return requestProblem(path, `${rule} (simplify the schema for this provider)`, found, this.provider);
  }
}

/** The constraints Gemini keeps: a format its type allows, string enums, numeric bounds, pattern, ordering. */
function copyConstraints(node: Node, result: GoogleSchema): void {
  const type = result.type;
  if (typeof node.format === 'string' && type !== undefined && FORMATS[type]?.includes(node.format)) {
    result.format = node.format;
  }
  const values = node.const !== undefined ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
  // Gemini's `enum` holds strings only; a number or boolean enum is left to the model's reading.
  if (values !== undefined && values.length > 0 && values.every((value) => typeof value === 'string')) {
    result.enum = values as string[];
    if (result.type === undefined) result.type = 'STRING';
  }
  for (const keyword of NUMERIC_KEYWORDS) {
    if (typeof node[keyword] === 'number') result[keyword] = node[keyword] as number;
  }
  if (typeof node.pattern === 'string') result.pattern = node.pattern;
  if (Array.isArray(node.propertyOrdering)) result.propertyOrdering = node.propertyOrdering as string[];
}
