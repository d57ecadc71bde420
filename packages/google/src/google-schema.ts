import { type JsonSchema, TokenwireError } from '@tokenwire/core';
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
 * `format`s, …) are dropped. Throws an `invalid_request` TokenwireError for what cannot be expressed:
 * recursive or remote `$ref`, `not`, `if`/`then`/`else`, tuples.
 *
 * @param what names the schema in error messages, e.g. "the parameters of tool 'weather'".
 */
export function toGoogleSchema(schema: JsonSchema, what = 'the schema'): GoogleSchema {
  return new SchemaReducer(schema, what).reduce(schema, '$', []);
}

class SchemaReducer {
  constructor(
    private readonly root: JsonSchema,
    private readonly what: string,
  ) {}

  reduce(input: unknown, path: string, expanding: string[]): GoogleSchema {
    if (input === true || (typeof input === 'object' && input !== null && Object.keys(input).length === 0))
      return {};
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw this.error(path, `is ${JSON.stringify(input)}, not a schema object`);
    }
    let node = input as Node;
    for (const keyword of UNSUPPORTED_KEYWORDS) {
      if (node[keyword] !== undefined)
        throw this.error(path, `uses '${keyword}', which Gemini's schema cannot express`);
    }
    if (typeof node.$ref === 'string') {
      const { $ref, ...siblings } = node;
      if (expanding.includes($ref))
        throw this.error(path, `refers to '${$ref}' recursively; Gemini's schema cannot express recursion`);
      const target = this.resolve($ref, path);
      return {
        ...this.reduce(target, path, [...expanding, $ref]),
        ...this.reduce(siblings, path, expanding),
      };
    }
    if (Array.isArray(node.allOf)) node = this.mergeAllOf(node, path);

    const result: GoogleSchema = {};
    if (typeof node.title === 'string') result.title = node.title;
    if (typeof node.description === 'string') result.description = node.description;
    if (node.nullable === true) result.nullable = true;

    const variants = (
      Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined
    ) as unknown[] | undefined;
    if (variants !== undefined) return this.reduceVariants(variants, result, path, expanding);

    const types = (
      Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type]
    ) as unknown[];
    for (const type of types) {
      if (typeof type !== 'string' || !TYPES.has(type))
        throw this.error(path, `has the unknown type ${JSON.stringify(type)}`);
    }
    const nonNull = types.filter((type) => type !== 'null') as string[];
    if (nonNull.length < types.length && nonNull.length > 0) result.nullable = true;
    if (nonNull.length > 1) {
      result.anyOf = nonNull.map((type) => ({ type: type.toUpperCase() }));
      return result;
    }
    const type = types.length === 0 ? undefined : (nonNull[0] ?? 'null').toUpperCase();
    if (type !== undefined) result.type = type;

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

    if (node.items !== undefined) {
      if (Array.isArray(node.items))
        throw this.error(path, 'is a tuple (items is a list); Gemini supports one items schema');
      result.items = this.reduce(node.items, `${path}.items`, expanding);
    }
    if (typeof node.properties === 'object' && node.properties !== null) {
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
    return result;
  }

  private reduceVariants(
    variants: unknown[],
    result: GoogleSchema,
    path: string,
    expanding: string[],
  ): GoogleSchema {
    const isNull = (variant: unknown) => (variant as Node | null)?.type === 'null';
    const nonNull = variants.filter((variant) => !isNull(variant));
    if (nonNull.length < variants.length) result.nullable = true;
    const reduced = nonNull.map((variant, index) =>
      this.reduce(variant, `${path}.anyOf[${index}]`, expanding),
    );
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
          ? this.resolve((raw as Node).$ref as string, `${path}.allOf[${index}]`)
          : raw
      ) as Node;
      if (typeof part !== 'object' || part === null)
        throw this.error(`${path}.allOf[${index}]`, 'is not a schema object');
      for (const [keyword, value] of Object.entries(part)) {
        if (keyword === 'properties')
          merged.properties = { ...(merged.properties as Node), ...(value as Node) };
        else if (keyword === 'required')
          merged.required = [...((merged.required as unknown[]) ?? []), ...(value as unknown[])];
        else if (merged[keyword] === undefined) merged[keyword] = value;
        else if (JSON.stringify(merged[keyword]) !== JSON.stringify(value)) {
          throw this.error(
            path,
            `combines schemas with conflicting '${keyword}' in allOf; Gemini has no allOf`,
          );
        }
      }
    }
    return merged;
  }

  /** Resolves a local JSON pointer (`#/$defs/Name`) in the root schema. */
  private resolve(ref: string, path: string): unknown {
    if (!ref.startsWith('#'))
      throw this.error(path, `refers to '${ref}'; only local references (#/$defs/…) can be inlined`);
    let target: unknown = this.root;
    for (const token of ref.slice(1).split('/').slice(1)) {
      const key = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~');
      target = typeof target === 'object' && target !== null ? (target as Node)[key] : undefined;
    }
    if (target === undefined) throw this.error(path, `refers to '${ref}', which the schema does not define`);
    return target;
  }

  private error(path: string, problem: string): TokenwireError {
    return new TokenwireError({
      code: 'invalid_request',
      provider: 'google',
      message: `Cannot send ${this.what} to Gemini: ${path} ${problem}. Simplify the schema for this provider.`,
    });
  }
}
