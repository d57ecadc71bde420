import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type {
  Adapter,
  AdapterDelta,
  ChatRequest,
  ErrorEvent,
  FinishEvent,
  StreamEvent,
} from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents } from '../runtime/scripted-adapter.test-helpers.js';
import { parseSSE, toSSE } from '../sse/sse.js';

const messages = [{ role: 'user' as const, content: 'Weather in Paris?' }];
const weather = z.object({
  city: z.string(),
  temperature: z.number(),
  sky: z.string().transform((sky) => sky.toUpperCase()),
});
const answer = '{"city": "Paris", "temperature": 21.5, "sky": "sunny"}';

/** An adapter that streams `text` in pieces of 3 characters and records the request it got. */
function jsonAdapter(text: string, reason: 'stop' | 'length' = 'stop') {
  const requests: ChatRequest[] = [];
  const adapter: Adapter = {
    name: 'mock',
    async *stream(request) {
      requests.push(request);
      for (let index = 0; index < text.length; index += 3)
        yield { type: 'text', delta: text.slice(index, index + 3) } as AdapterDelta;
      yield { type: 'finish', reason };
    },
  };
  return { adapter, requests, client: createTokenwire({ providers: { mock: adapter } }) };
}

const partials = (events: StreamEvent[]) =>
  events.flatMap((event) => (event.type === 'partial_object' ? [structuredClone(event.object)] : []));

describe('structured output', () => {
  it('streams partial objects, then finish.object validated and typed by a Standard Schema', async () => {
    const { client, requests } = jsonAdapter(answer);
    const stream = client.stream({
      model: 'mock/m',
      messages,
      responseFormat: { type: 'json_schema', schema: weather },
    });
    const events: StreamEvent<{ city: string; temperature: number; sky: string }>[] = [];
    for await (const event of stream) events.push(structuredClone(event));
    const finish = events.at(-1) as FinishEvent<{ city: string; temperature: number; sky: string }>;
    expectTypeOf(finish.object).toEqualTypeOf<
      { city: string; temperature: number; sky: string } | undefined
    >();
    expect(finish.object).toEqual({ city: 'Paris', temperature: 21.5, sky: 'SUNNY' }); // transformed by zod
    expect(finish.content).toBe(answer);
    const seen = partials(events);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toEqual({ city: 'Paris', temperature: 21.5, sky: 'sunny' });
    expect(seen).toContainEqual({ city: 'Pa' });
    // A transform has no output JSON Schema: the adapter got what the schema reads, without $schema.
    expect(requests[0]?.responseFormat).toEqual({
      type: 'json_schema',
      schema: {
        type: 'object',
        properties: { city: { type: 'string' }, temperature: { type: 'number' }, sky: { type: 'string' } },
        required: ['city', 'temperature', 'sky'],
      },
    });
  });

  it('sends the closed, all-required JSON Schema of a plain zod object', async () => {
    const { client, requests } = jsonAdapter('{"city": "Paris"}');
    const schema = z.object({ city: z.string(), unit: z.enum(['C', 'F']).default('C') });
    const finish = await client
      .stream({ model: 'mock/m', messages, responseFormat: { type: 'json_schema', schema, name: 'w' } })
      .result();
    expect(finish.object).toEqual({ city: 'Paris', unit: 'C' });
    expect(requests[0]?.responseFormat).toEqual({
      type: 'json_schema',
      name: 'w',
      schema: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['C', 'F'], default: 'C' } },
        required: ['city', 'unit'],
        additionalProperties: false,
      },
    });
  });

  it('keeps the text and gives objectError, with the path, for an answer that breaks the schema', async () => {
    const wrong = '{"city": "Paris", "temperature": "warm", "sky": "sunny"}';
    const finish = await jsonAdapter(wrong)
      .client.stream({ model: 'mock/m', messages, responseFormat: { type: 'json_schema', schema: weather } })
      .result();
    expect(finish.object).toBeUndefined();
    expect(finish.content).toBe(wrong);
    expect(finish.objectError).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(finish.objectError?.message).toMatch(/^The answer does not match the schema: \/temperature: /);
  });

  it('gives objectError for an answer cut off, and still finishes', async () => {
    const finish = await jsonAdapter(answer.slice(0, 30), 'length')
      .client.stream({ model: 'mock/m', messages, responseFormat: { type: 'json_schema', schema: weather } })
      .result();
    expect(finish.reason).toBe('length');
    expect(finish.objectError?.message).toContain(
      'is not valid JSON (it was cut off, or is not JSON at all)',
    );
  });

  it("parses { type: 'json' } without validating, and drops a code fence around it", async () => {
    const finish = await jsonAdapter('```json\n{"any": [1, 2]}\n```')
      .client.stream({ model: 'mock/m', messages, responseFormat: { type: 'json' } })
      .result();
    expect(finish.object).toEqual({ any: [1, 2] });
  });

  it('validates against a plain JSON Schema too', async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 10 } }, required: ['n'] };
    const stream = (text: string) =>
      jsonAdapter(text).client.stream({
        model: 'mock/m',
        messages,
        responseFormat: { type: 'json_schema', schema },
      });
    expect((await stream('{"n": 12}').result()).object).toEqual({ n: 12 });
    const failed = await stream('{"n": 3}').result();
    expect(failed.objectError?.message).toBe('The answer does not match the schema: /n: 3 is less than 10.');
  });

  it('refuses a Standard Schema that cannot give its JSON Schema, unless jsonSchema comes with it', async () => {
    const bare: StandardSchemaV1<unknown, { ok: boolean }> = {
      '~standard': { version: 1, vendor: 'acme', validate: (value) => ({ value: value as { ok: boolean } }) },
    };
    const events = await collectEvents(
      jsonAdapter('{"ok": true}').client.stream({
        model: 'mock/m',
        messages,
        responseFormat: { type: 'json_schema', schema: bare },
      }),
    );
    const error = (events.at(-1) as ErrorEvent).error;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain(
      'responseFormat.schema is a Standard Schema from acme whose JSON Schema tokenwire cannot get',
    );
    const withSchema = { type: 'json_schema' as const, schema: bare, jsonSchema: { type: 'object' } };
    const finish = await jsonAdapter('{"ok": true}')
      .client.stream({ model: 'mock/m', messages, responseFormat: withSchema })
      .result();
    expect(finish.object).toEqual({ ok: true });
  });

  it('carries partial objects through toSSE and parseSSE', async () => {
    const { client } = jsonAdapter(answer);
    const request = { model: 'mock/m', messages, responseFormat: { type: 'json' as const } };
    const sent: unknown[] = [];
    for await (const event of client.stream(request)) {
      if (event.type === 'partial_object') sent.push(structuredClone(event.object));
    }
    const received: unknown[] = [];
    for await (const event of parseSSE(toSSE(client.stream(request)))) {
      if (event.type === 'partial_object') received.push(structuredClone(event.object));
    }
    expect(received).toEqual(sent);
  });
});

describe('partial tool inputs', () => {
  const toolAdapter: Adapter = {
    name: 'mock',
    async *stream() {
      yield { type: 'tool_call', index: 0, id: 'c1', name: 'get_weather', argumentsDelta: '{"ci' };
      yield { type: 'tool_call', index: 0, argumentsDelta: 'ty": "Par' };
      yield { type: 'tool_call', index: 0, argumentsDelta: 'is", "days": [1, 2' };
      yield { type: 'tool_call', index: 0, argumentsDelta: ']}' };
      yield { type: 'finish', reason: 'tool_calls' };
    },
  };
  const request = { model: 'mock/m', messages };

  it('gives the best-effort parse of the arguments on each chunk, when read', async () => {
    const inputs: unknown[] = [];
    for await (const event of createTokenwire({ providers: { mock: toolAdapter } }).stream(request)) {
      if (event.type === 'tool_call_chunk') inputs.push(structuredClone(event.partialInput));
    }
    expect(inputs).toEqual([
      {},
      { city: 'Par' },
      { city: 'Paris', days: [1] },
      { city: 'Paris', days: [1, 2] },
    ]);
  });

  it('rebuilds partial inputs from the SSE wire', async () => {
    const inputs: unknown[] = [];
    for await (const event of parseSSE(
      toSSE(createTokenwire({ providers: { mock: toolAdapter } }).stream(request)),
    )) {
      if (event.type === 'tool_call_chunk') inputs.push(structuredClone(event.partialInput));
    }
    expect(inputs.at(-1)).toEqual({ city: 'Paris', days: [1, 2] });
  });
});

describe('structured output with tools the caller runs', () => {
  const proseThenTool: Adapter = {
    name: 'mock',
    async *stream() {
      yield { type: 'text', delta: '2 + 2 equals 4, let me check with the calculator.' };
      yield { type: 'tool_call', index: 0, id: 'c1', name: 'add', argumentsDelta: '{"a":2,"b":2}' };
      yield { type: 'finish', reason: 'tool_calls' };
    },
  };

  it('ends a step that calls tools with no object and no objectError', async () => {
    const events = await collectEvents(
      createTokenwire({ providers: { mock: proseThenTool } }).stream({
        model: 'mock/m',
        messages,
        responseFormat: { type: 'json' },
        tools: [{ name: 'add', parameters: { type: 'object' } }],
      }),
    );
    const finish = events.at(-1) as FinishEvent;
    expect(finish).toMatchObject({ type: 'finish', reason: 'tool_calls' });
    expect('object' in finish).toBe(false);
    expect('objectError' in finish).toBe(false);
  });
});
