import { ApiError } from '@google/genai';
import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { collect, createReplayServer, geminiScenarios, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAdapter, type GoogleAdapterSettings } from './google-adapter.js';
import { openGoogleDirectStream } from './google-direct.js';
import { normalizeGoogleError } from './google-errors.js';
import { createGoogleStreamState, finishGoogleStream, translateGoogleChunk } from './google-stream.js';

const encoder = new TextEncoder();

function responseOf(reads: Array<string | Uint8Array>): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(typeof read === 'string' ? encoder.encode(read) : read);
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

const byteByByte = (text: string) => [...encoder.encode(text)].map((byte) => Uint8Array.of(byte));

const chunk = (text: string, finishReason?: string) => ({
  candidates: [
    { content: { parts: [{ text }], role: 'model' }, index: 0, ...(finishReason ? { finishReason } : {}) },
  ],
  modelVersion: 'gemini-test',
  responseId: 'resp_1',
});
const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\r\n\r\n`;
const BODY = [sse(chunk('Grüße, ')), sse(chunk('世界 😀')), sse(chunk('', 'STOP'))].join('');

interface Drained {
  deltas: AdapterDelta[];
  error: unknown;
  steps: number;
}

/** Runs a direct stream as the runtime does: one step per read, `translate` synchronous, `end` at the end. */
async function drain(reads: Array<string | Uint8Array>, maxRecordBytes = 1_000): Promise<Drained> {
  const state = createGoogleStreamState('google');
  const response = responseOf(reads);
  const stream = openGoogleDirectStream(response, {
    provider: 'google',
    maxRecordBytes,
    request: 'POST http://127.0.0.1/v1/models/m:streamGenerateContent',
    ApiError,
    translateChunk: (record, out) => {
      translateGoogleChunk(record, state, out);
      return state.finished;
    },
  });
  const deltas: AdapterDelta[] = [];
  let steps = 0;
  try {
    const iterator = stream.chunks[Symbol.asyncIterator]();
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      steps++;
      if (stream.translate(step.value, deltas) === true) break;
    }
    stream.end?.(deltas);
    finishGoogleStream(state, deltas);
    return { deltas, error: undefined, steps };
  } catch (error) {
    return { deltas, error, steps };
  } finally {
    stream.close?.();
  }
}

const textOf = (deltas: AdapterDelta[]) =>
  deltas.map((delta) => (delta.type === 'text' ? delta.delta : '')).join('');

describe('the direct transport decodes the Gemini body as @google/genai does', () => {
  it('decodes UTF-8 split inside every multi-byte character', async () => {
    const drained = await drain(byteByByte(BODY));
    expect(drained.error).toBeUndefined();
    expect(textOf(drained.deltas)).toBe('Grüße, 世界 😀');
    expect(drained.deltas.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
  });

  it('translates every record of one read in one step, and stops at the finishReason', async () => {
    const drained = await drain([BODY + sse(chunk('ignored'))]);
    expect([drained.steps, textOf(drained.deltas)]).toEqual([1, 'Grüße, 世界 😀']);
  });

  it('accepts LF and CRLF line ends, also a read ending between \\r and \\n', async () => {
    const cut = BODY.indexOf('\r\n') + 1;
    expect(textOf((await drain([BODY.slice(0, cut), BODY.slice(cut)])).deltas)).toBe('Grüße, 世界 😀');
    expect(textOf((await drain([BODY.replaceAll('\r\n', '\n')])).deltas)).toBe('Grüße, 世界 😀');
  });

  it('skips a leading BOM and keep-alive comments', async () => {
    const withComments = `: keep-alive\n\n${sse(chunk('a'))}: PROCESSING\n\n${sse(chunk('b', 'STOP'))}`;
    const drained = await drain([Uint8Array.of(0xef, 0xbb, 0xbf), withComments]);
    expect([drained.error, textOf(drained.deltas)]).toEqual([undefined, 'ab']);
  });

  it('throws the SDK’s ApiError for an in-band error record, after the deltas of the same read', async () => {
    const error = { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' };
    const drained = await drain([sse(chunk('Hi')) + sse({ error }) + sse(chunk('never'))]);
    expect(textOf(drained.deltas)).toBe('Hi');
    expect(drained.error).toBeInstanceOf(ApiError);
    expect(drained.error).toMatchObject({ status: 503 });
    expect((drained.error as Error).message).toMatch(/^got status: UNAVAILABLE\. \{"error":/);
    expect(normalizeGoogleError(drained.error)).toMatchObject({ code: 'overloaded', status: 503 });
  });

  it('throws a SyntaxError (core: invalid_response) for a malformed record, after the deltas before it', async () => {
    const drained = await drain([sse(chunk('Hi')) + sse('{"broken": ') + sse(chunk('never'))]);
    expect(textOf(drained.deltas)).toBe('Hi');
    expect(drained.error).toBeInstanceOf(SyntaxError);
  });

  it('reports a body cut inside a record as a SyntaxError, keeping what came before', async () => {
    const drained = await drain([sse(chunk('Hi')), 'data: {"candidates": [{"con']);
    expect(textOf(drained.deltas)).toBe('Hi');
    expect((drained.error as Error).message).toContain('ended inside a record');
    // A body that ends after whole records but before the finishReason is not cut.
    expect((await drain([sse(chunk('Hi'))])).error).toBeUndefined();
  });

  it('names maxBytes.record for a record longer than the limit', async () => {
    const drained = await drain([sse(chunk('Hi')), sse(chunk('x'.repeat(5_000)))], 1_000);
    expect(textOf(drained.deltas)).toBe('Hi');
    expect((drained.error as Error).message).toMatch(
      /^An SSE event of the google stream is 5,\d{3} characters, over maxBytes\.record \(1,000\)/,
    );
  });

  it('names a body that is not an event stream', async () => {
    const drained = await drain(['<!DOCTYPE html><html><head><title>Proxy</title></head></html>']);
    expect(drained.error).toMatchObject({ code: 'invalid_response' });
    expect((drained.error as Error).message).toContain('not an event stream');
  });
});

describe('the direct transport through the adapter', () => {
  let server: ReplayServer;
  beforeEach(async () => {
    server = await createReplayServer();
  });
  afterEach(async () => {
    await server.close();
  });

  // A request with a system message, a tool and generation settings: every part of the body.
  const REQUEST = {
    model: 'google/gemini-2.5-flash',
    messages: [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi' },
    ],
    tools: [
      {
        name: 'weather',
        description: 'The weather.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ],
    temperature: 0.5,
    maxTokens: 100,
  };
  const run = (settings: GoogleAdapterSettings): Promise<StreamEvent[]> => {
    const adapter = createGoogleAdapter({ apiKey: 'direct-key', baseURL: server.url, ...settings });
    const tokenwire = createTokenwire({ providers: { google: adapter }, retries: 0 });
    return collect(tokenwire.stream(REQUEST));
  };

  describe.each(['genai', 'generative-ai'] as const)('over the %s SDK', (sdk) => {
    /** The error event, or the request, of one stream per transport: they must be equal. */
    async function bothTransports<T>(
      script: Parameters<ReplayServer['enqueue']>[0],
      pick: (events: StreamEvent[]) => T,
    ): Promise<T[]> {
      const results: T[] = [];
      for (const transport of ['sdk', 'direct'] as const) {
        server.enqueue(script);
        results.push(pick(await run({ sdk, transport, headers: { 'x-extra': 'yes' } })));
      }
      return results;
    }
    const errorOf = (events: StreamEvent[]) => {
      const last = events.at(-1) as ErrorEvent;
      const { code, status, message, retryable, retryAfterMs } = last.error;
      return {
        type: last.type,
        code,
        status,
        message,
        retryable,
        retryAfterMs,
        partial: last.partial?.content,
      };
    };

    it('sends the same request on both transports', async () => {
      const [viaSdk, direct] = await bothTransports({ payloads: geminiScenarios.text.payloads }, () => {
        const { method, url, headers, body } = server.requests.at(-1) ?? {};
        const { 'user-agent': _agent, 'content-length': _length, ...rest } = headers ?? {};
        return { method, url, headers: rest, body };
      });
      expect(direct).toEqual(viaSdk);
      expect(viaSdk?.headers['x-extra']).toBe('yes');
    });

    it('gives an in-band error record the same error on both transports', async () => {
      const error = { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' };
      const [viaSdk, direct] = await bothTransports(
        { payloads: [geminiScenarios.text.payloads[0], { error }] },
        errorOf,
      );
      expect(direct).toEqual(viaSdk);
      expect(viaSdk).toMatchObject({ type: 'error', code: 'overloaded' });
    });

    it('gives a non-2xx answer the SDK’s error on both transports (status, RetryInfo delay)', async () => {
      const errorBody = {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'Quota exceeded.',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
        },
      };
      const [viaSdk, direct] = await bothTransports({ status: 429, errorBody }, errorOf);
      expect(direct).toEqual(viaSdk);
      expect(viaSdk).toMatchObject({ code: 'rate_limit', status: 429, retryAfterMs: 7000 });
    });
  });

  it('gives an in-band error record the same error on both transports', async () => {
    const error = { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded.' };
    const payloads = [geminiScenarios.text.payloads[0], { error }];
    const errors: unknown[] = [];
    for (const transport of ['sdk', 'direct'] as const) {
      server.enqueue({ payloads });
      const last = (await run({ transport })).at(-1) as ErrorEvent;
      const { code, status, message, retryable } = last.error;
      errors.push({ type: last.type, code, status, message, retryable, partial: last.partial.content });
    }
    expect(errors[1]).toEqual(errors[0]);
    expect(errors[0]).toMatchObject({ type: 'error', code: 'rate_limit', status: 429 });
  });

  it('closes the connection when the consumer stops early', async () => {
    server.enqueue({ payloads: geminiScenarios.text.payloads.slice(0, 1), holdOpen: true });
    const adapter = createGoogleAdapter({ apiKey: 'direct-key', baseURL: server.url, transport: 'direct' });
    const stream = createTokenwire({ providers: { google: adapter }, retries: 0 }).stream({
      model: 'google/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    for await (const event of stream) if (event.type === 'token') break;
    await server.waitForClientClose();
  });

  it('streams the 200 body’s byte reads with transport direct, and the SDK’s chunks without', async () => {
    const firsts: unknown[] = [];
    for (const transport of ['direct', 'sdk'] as const) {
      server.enqueue({ payloads: geminiScenarios.text.payloads });
      const adapter = createGoogleAdapter({ apiKey: 'direct-key', baseURL: server.url, transport });
      const controller = new AbortController();
      const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Hi' }] };
      const stream = await adapter.open?.(request, { signal: controller.signal } as never);
      const step = await stream?.chunks[Symbol.asyncIterator]().next();
      firsts.push(step?.value instanceof Uint8Array);
      stream?.close?.();
      controller.abort();
    }
    expect(firsts).toEqual([true, false]);
  });

  it('refuses another transport as the configuration error of the first request', async () => {
    const last = (await run({ transport: 'fast' as never })).at(-1) as ErrorEvent;
    expect(last.error.code).toBe('configuration');
    expect(last.error.message).toContain('transport');
  });
});
