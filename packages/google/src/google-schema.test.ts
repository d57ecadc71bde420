import { TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toGoogleSchema } from './google-schema.js';

function errorOf(action: () => unknown): { code: string; provider?: string; message: string } {
  try {
    action();
  } catch (error) {
    if (TokenwireError.isInstance(error))
      return { code: error.code, provider: error.provider, message: error.message };
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

  it('rejects a recursive $ref with the path of the reference, the provider and what to do', () => {
    const schema = {
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } },
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
    };
    expect(errorOf(() => toGoogleSchema(schema, 'tools[0].parameters', 'vertex'))).toEqual({
      code: 'invalid_request',
      provider: 'vertex',
      message:
        'Invalid request: tools[0].parameters.properties.children.items.properties.next.$ref is recursive, which Gemini\'s schema cannot express (simplify the schema for this provider); got "#/$defs/node". Nothing was sent.',
    });
  });

  it.each([
    [
      { $ref: 'https://example.com/schema.json' },
      'responseFormat.schema.$ref must be a local reference (#/$defs/…)',
    ],
    [{ $ref: '#/$defs/missing' }, 'responseFormat.schema.$ref must refer to a definition of the schema'],
    [
      { type: 'object', properties: { tags: { not: { type: 'string' } } } },
      "responseFormat.schema.properties.tags.not cannot be expressed in Gemini's schema",
    ],
    [{ if: { type: 'string' }, else: { minLength: 1 } }, 'responseFormat.schema.if cannot be expressed'],
    [
      { type: 'array', items: [{ type: 'string' }, { type: 'number' }] },
      'responseFormat.schema.items must be one schema: Gemini has no tuples',
    ],
    [{ type: 'uuid' }, 'responseFormat.schema.type must be one of string, number'],
    [
      { anyOf: [{ type: 'string' }, { type: 'object', properties: { a: { type: 'date' } } }] },
      'responseFormat.schema.anyOf[1].properties.a.type must be one of',
    ],
    [
      { allOf: [{ type: 'string' }, { type: 'number' }] },
      'responseFormat.schema.allOf[1].type conflicts with another member of allOf',
    ],
  ])('rejects what Gemini cannot express, naming it by its path: %j', (schema, problem) => {
    const { code, message } = errorOf(() => toGoogleSchema(schema, 'responseFormat.schema'));
    expect([code, message.startsWith(`Invalid request: ${problem}`)]).toEqual(['invalid_request', true]);
  });
});
