import { TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toGoogleSchema } from './google-schema.js';

function errorOf(action: () => unknown): { code: string; message: string } {
  try {
    action();
  } catch (error) {
    if (TokenwireError.isInstance(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a TokenwireError');
}

describe('toGoogleSchema', () => {
  it('keeps what Gemini understands, upper-cases types and drops additionalProperties and $schema', () => {
    expect(
      toGoogleSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'A city',
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Z]' },
          population: { type: 'integer', minimum: 0, format: 'int64', default: 0 },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 5, uniqueItems: true },
        },
        required: ['name', 'missing'],
      }),
    ).toEqual({
      type: 'OBJECT',
      description: 'A city',
      properties: {
        name: { type: 'STRING', minLength: 1, maxLength: 80, pattern: '^[A-Z]' },
        population: { type: 'INTEGER', minimum: 0, format: 'int64' },
        tags: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: 5 },
      },
      required: ['name'],
    });
  });

  it('turns a null member of type lists and anyOf into nullable', () => {
    expect(
      toGoogleSchema({
        type: 'object',
        properties: {
          nickname: { type: ['string', 'null'] },
          address: {
            anyOf: [{ type: 'object', properties: { city: { type: 'string' } } }, { type: 'null' }],
          },
        },
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        nickname: { type: 'STRING', nullable: true },
        address: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, nullable: true },
      },
    });
  });

  it('maps oneOf and several types to anyOf', () => {
    expect(toGoogleSchema({ oneOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }],
    });
    expect(toGoogleSchema({ type: ['string', 'integer'] })).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }],
    });
  });

  it('keeps string enums and const, drops enums of other values and unsupported formats', () => {
    expect(
      toGoogleSchema({
        type: 'object',
        properties: {
          unit: { type: 'string', enum: ['c', 'f'] },
          kind: { const: 'city' },
          level: { type: 'integer', enum: [1, 2] },
          email: { type: 'string', format: 'email' },
          when: { type: 'string', format: 'date-time' },
        },
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        unit: { type: 'STRING', enum: ['c', 'f'] },
        kind: { type: 'STRING', enum: ['city'] },
        level: { type: 'INTEGER' },
        email: { type: 'STRING' },
        when: { type: 'STRING', format: 'date-time' },
      },
    });
  });

  it('inlines local $refs, with the sibling description winning', () => {
    expect(
      toGoogleSchema({
        type: 'object',
        properties: {
          from: { $ref: '#/$defs/point', description: 'Start' },
          to: { $ref: '#/definitions/point' },
        },
        $defs: { point: { type: 'object', properties: { x: { type: 'number' } }, description: 'A point' } },
        definitions: { point: { type: 'object', properties: { x: { type: 'number' } } } },
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        from: { type: 'OBJECT', properties: { x: { type: 'NUMBER' } }, description: 'Start' },
        to: { type: 'OBJECT', properties: { x: { type: 'NUMBER' } } },
      },
    });
  });

  it('merges allOf of object schemas', () => {
    expect(
      toGoogleSchema({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { type: 'object', properties: { b: { type: 'boolean' } }, required: ['b'] },
        ],
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: { a: { type: 'STRING' }, b: { type: 'BOOLEAN' } },
      required: ['a', 'b'],
    });
  });

  it('rejects a recursive $ref with a clear error', () => {
    const schema = {
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } },
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
    };
    expect(errorOf(() => toGoogleSchema(schema, "the parameters of tool 'tree'"))).toEqual({
      code: 'invalid_request',
      message:
        "Cannot send the parameters of tool 'tree' to Gemini: $.properties.children.items.properties.next refers to '#/$defs/node' recursively; Gemini's schema cannot express recursion. Simplify the schema for this provider.",
    });
  });

  it.each([
    [
      { $ref: 'https://example.com/schema.json' },
      "$ refers to 'https://example.com/schema.json'; only local references",
    ],
    [{ $ref: '#/$defs/missing' }, "$ refers to '#/$defs/missing', which the schema does not define"],
    [{ type: 'object', properties: { a: { not: { type: 'string' } } } }, "$.properties.a uses 'not'"],
    [{ if: { type: 'string' }, else: { minLength: 1 } }, "$ uses 'if'"],
    [{ type: 'array', items: [{ type: 'string' }, { type: 'number' }] }, '$ is a tuple'],
    [{ type: 'uuid' }, '$ has the unknown type "uuid"'],
    [{ allOf: [{ type: 'string' }, { type: 'number' }] }, "conflicting 'type' in allOf"],
  ])('rejects what Gemini cannot express: %j', (schema, problem) => {
    const { code, message } = errorOf(() => toGoogleSchema(schema));
    expect([code, message.includes(problem)]).toEqual(['invalid_request', true]);
  });
});
