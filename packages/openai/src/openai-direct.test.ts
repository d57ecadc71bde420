import { createTokenwire, type ErrorEvent } from '@tokenwire/core';
import type { AdapterDelta, ChunkStream } from '@tokenwire/core/adapter';
import { directStream } from '@tokenwire/core/internal';
import { collect, openaiChatScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { Stream } from 'openai/streaming';
import { describe, expect, it } from 'vitest';
import { createOpenAIAdapter } from './openai-adapter.js';
import { createOpenAIChatStreamState, translateOpenAIChatChunk } from './openai-chat-stream.js';
import { normalizeOpenAIError } from './openai-errors.js';
import { MALFORMED_EVENT_MESSAGE, openAIRecord } from './openai-records.js';
import {
  createOpenAIResponsesStreamState,
  translateOpenAIResponsesEvent,
} from './openai-responses-stream.js';

const encoder = new TextEncoder();
const HEADERS = { 'content-type': 'text/event-stream', 'x-request-id': 'req_direct_1' };

/** A 200 response whose body arrives in exactly these reads. */
function responseOf(reads: Array<string | Uint8Array>): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(typeof read === 'string' ? encoder.encode(read) : read);
      controller.close();
    },
  });
  return new Response(body, { headers: HEADERS });
}

/** Every single-byte read of a text: splits inside every multi-byte character. */
function byteByByte(text: string): Uint8Array[] {
  return [...encoder.encode(text)].map((byte) => Uint8Array.of(byte));
}

const chunk = (content: string, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  model: 'gpt-test',
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
  ...extra,
});
const finishChunk = {
  id: 'chatcmpl-1',
  model: 'gpt-test',
  choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
};
const sse = (data: unknown, event?: string) =>
  `${event === undefined ? '' : `event: ${event}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

interface Drained {
  records: unknown[];
  deltas: AdapterDelta[];
  error: unknown;
  /** The runtime's async steps (one per network read). */
  steps: number;
}

/** Runs a direct stream as the runtime does: one step per read, `translate` synchronous, `end` at the end. */
async function drain(response: Response, api: 'chat' | 'responses' = 'chat'): Promise<Drained> {
  const records: unknown[] = [];
  const chat = createOpenAIChatStreamState();
  const responses = createOpenAIResponsesStreamState();
  const translator = {
    start: () => undefined,
    translate: (record: unknown, _state: undefined, out: AdapterDelta[]) => {
      records.push(record);
      if (api === 'chat') {
        translateOpenAIChatChunk(record as never, chat, out);
        return chat.complete;
      }
      translateOpenAIResponsesEvent(record as never, responses, out);
      return responses.finished;
    },
  };
  const parts = { provider: 'openai', wire: 'sse' as const, record: openAIRecord, translator };
  const sent = { body: response.body as ReadableStream<Uint8Array>, headers: response.headers };
  const stream: ChunkStream<Uint8Array> = directStream(parts, sent, undefined, 1_000);
  const deltas: AdapterDelta[] = [];
  let steps = 0;
  try {
    const iterator = stream.chunks[Symbol.asyncIterator]();
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      steps++;
      if (stream.translate(step.value, deltas) === true) break;
    }
    stream.end?.(deltas);
    return { records, deltas, error: undefined, steps };
  } catch (error) {
    return { records, deltas, error, steps };
  } finally {
    stream.close?.();
  }
}

/** What the SDK's own `Stream` yields (or throws) for the same body. */
async function throughSDK(
  reads: Array<string | Uint8Array>,
): Promise<{ records: unknown[]; error: unknown }> {
  const records: unknown[] = [];
  try {
    for await (const record of Stream.fromSSEResponse(responseOf(reads), new AbortController()))
      records.push(record);
    return { records, error: undefined };
  } catch (error) {
    return { records, error };
  }
}

const text = (deltas: AdapterDelta[]) =>
  deltas.map((delta) => (delta.type === 'text' ? delta.delta : '')).join('');

describe('the direct transport decodes the body as the SDK does', () => {
  const body = [sse(chunk('Grüße, ')), sse(chunk('世界 😀')), sse(finishChunk), sse('[DONE]')].join('');

  it('decodes UTF-8 split inside every multi-byte character, one step per read', async () => {
    const drained = await drain(responseOf(byteByByte(body)));
    expect(drained.error).toBeUndefined();
    expect(text(drained.deltas)).toBe('Grüße, 世界 😀');
    expect(drained.deltas.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(drained.records).toEqual((await throughSDK(byteByByte(body))).records);
  });

  it('translates every record of one read in that step', async () => {
    const drained = await drain(responseOf([body]));
    expect(drained.steps).toBe(1);
    expect(drained.records).toHaveLength(3);
  });

  it('accepts CRLF line ends, also a read ending between \\r and \\n', async () => {
    const crlf = body.replaceAll('\n', '\r\n');
    const cut = crlf.indexOf('\r\n') + 1;
    const drained = await drain(responseOf([crlf.slice(0, cut), crlf.slice(cut)]));
    expect(text(drained.deltas)).toBe('Grüße, 世界 😀');
    expect(drained.records).toEqual((await throughSDK([crlf])).records);
  });

  it('skips a leading BOM', async () => {
    const drained = await drain(responseOf([Uint8Array.of(0xef, 0xbb, 0xbf), body]));
    expect(drained.error).toBeUndefined();
    expect(text(drained.deltas)).toBe('Grüße, 世界 😀');
  });

  it('drops keep-alive comments at the start and between records', async () => {
    const withComments = `: keep-alive\n\n${sse(chunk('a'))}: PROCESSING\n\n${sse(chunk('b'))}:\n\n${sse(finishChunk)}`;
    const drained = await drain(responseOf([withComments, sse('[DONE]')]));
    expect(text(drained.deltas)).toBe('ab');
    expect(drained.records).toEqual((await throughSDK([withComments])).records);
  });

  it('ends at [DONE] and ignores what follows, in the same read or later ones', async () => {
    const after = `${sse(chunk('a'))}${sse('[DONE]')}${sse(chunk('ignored'))}`;
    const drained = await drain(responseOf([after, sse(chunk('also ignored'))]));
    expect(drained.error).toBeUndefined();
    expect(text(drained.deltas)).toBe('a');
    expect(drained.steps).toBe(1);
  });

  it('throws the SDK’s SyntaxError for a malformed record, after the deltas before it', async () => {
    const drained = await drain(responseOf([`${sse(chunk('kept'))}data: {"broken": \n\n`]));
    expect(text(drained.deltas)).toBe('kept');
    expect(drained.error).toBeInstanceOf(SyntaxError);
    expect((drained.error as Error).message).toBe(MALFORMED_EVENT_MESSAGE);
    const sdk = await throughSDK([`data: {"broken": \n\n`]);
    expect((sdk.error as Error).message).toBe(MALFORMED_EVENT_MESSAGE);
  });

  it('names maxBytes.record for an event longer than the limit', async () => {
    const drained = await drain(responseOf([`data: "${'x'.repeat(2_000)}`]));
    expect(drained.error).toMatchObject({ code: 'invalid_response' });
    expect((drained.error as Error).message).toContain('maxBytes.record');
  });
});

describe('in-band errors are the SDK’s own APIError', () => {
  const cases: Array<[string, string, 'chat' | 'responses']> = [
    [
      'a chat record with `error`',
      sse({ error: { message: 'The server had an error.', type: 'server_error', code: null } }),
      'chat',
    ],
    [
      'a Responses `event: error`',
      sse({ type: 'error', code: 'rate_limit_exceeded', message: 'Slow down.', param: null }, 'error'),
      'responses',
    ],
    [
      'an `event: error` with the fields nested in `error`',
      sse({ type: 'error', error: { code: 'server_error', message: 'Nested.' } }, 'error'),
      'responses',
    ],
  ];

  it.each(cases)(
    '%s: the same error, normalized the same, as through the SDK',
    async (_name, record, api) => {
      const reads = [sse(chunk('partial ')), record];
      const direct = await drain(responseOf(reads), api);
      const sdk = await throughSDK(reads);
      expect(direct.error?.constructor.name).toBe('APIError');
      expect(direct.error).toMatchObject({ status: undefined, requestID: 'req_direct_1' });
      expect(direct.error).toEqual(sdk.error);
      const normalized = normalizeOpenAIError(direct.error);
      expect(normalized).toEqual(normalizeOpenAIError(sdk.error));
      expect(normalized?.requestId).toBe('req_direct_1');
    },
  );

  it('keeps the deltas read with the error before it, then throws without reading further', async () => {
    const reads = [
      `${sse(chunk('before '))}${sse({ error: { message: 'boom', type: 'server_error' } })}`,
      sse(chunk('never read')),
    ];
    const drained = await drain(responseOf(reads));
    expect(text(drained.deltas)).toBe('before ');
    expect(drained.steps).toBe(1);
    expect(normalizeOpenAIError(drained.error)).toMatchObject({ code: 'server' });
  });
});

describe('the direct transport in the runtime', () => {
  const server = useReplayServer();
  const tokenwireOn = (settings: Parameters<typeof createOpenAIAdapter>[0] = {}) =>
    createTokenwire({
      providers: {
        openai: createOpenAIAdapter({
          apiKey: 'sk-direct-test-key',
          baseURL: `${server.url}/v1`,
          transport: 'direct',
          ...settings,
        }),
      },
      retries: 0,
      timeouts: { idleMs: 5_000 },
    });
  const request = { model: 'openai/test-model', messages: [{ role: 'user' as const, content: 'Hi' }] };
  const chat = openaiChatScenarios.text;

  it('reports a body that ends before the finish as truncated, with the partial content', async () => {
    server.enqueue({ payloads: chat.payloads, endAfter: chat.cut.after });
    const events = await collect(tokenwireOn().stream(request));
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { code: 'invalid_response' },
      partial: { content: chat.cut.content },
    });
  });

  it('closes the connection when the consumer stops early', async () => {
    server.enqueue({ payloads: chat.payloads, stallAfter: chat.cut.after });
    const stream = tokenwireOn().stream(request);
    for await (const event of stream) if (event.type === 'token') break;
    await server.waitForClientClose();
    expect(server.closedByClient).toBe(1);
  });

  it('closes the connection on cancel()', async () => {
    server.enqueue({ payloads: chat.payloads, stallAfter: chat.cut.after });
    const stream = tokenwireOn().stream(request);
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    stream.cancel();
    await server.waitForClientClose();
    expect(server.closedByClient).toBe(1);
  });

  it('keeps the SDK’s error classes for non-2xx answers (asResponse throws the APIError)', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '1' } });
    const last = (await collect(tokenwireOn().stream(request))).at(-1) as ErrorEvent;
    expect(last.error).toMatchObject({ code: 'rate_limit', status: 429, retryAfterMs: 1_000 });
    expect(last.error.cause).toMatchObject({ name: 'RateLimitError', status: 429 });
  });

  it('retries without stream_options when the service rejects them, on the direct transport too', async () => {
    server.enqueue(
      {
        status: 400,
        errorBody: { error: { message: 'Unknown field stream_options', param: 'stream_options' } },
      },
      { payloads: chat.payloads },
    );
    const events = await collect(tokenwireOn().stream(request));
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: chat.expected.content });
    expect(server.requests).toHaveLength(2);
  });
});

describe('the transport setting', () => {
  it("defaults to 'direct' and is exposed as adapter.transport", () => {
    expect(createOpenAIAdapter({ apiKey: 'sk-test-key-1234' }).transport).toBe('direct');
    expect(createOpenAIAdapter({ apiKey: 'sk-test-key-1234', transport: 'sdk' }).transport).toBe('sdk');
  });

  it('refuses another value as the configuration error of the first request, naming the setting', async () => {
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-key-1234', transport: 'fast' as never });
    const tokenwire = createTokenwire({ providers: { openai: adapter }, retries: 0 });
    const events = await collect(
      tokenwire.stream({ model: 'openai/test-model', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'configuration' } });
    expect((events[0] as ErrorEvent).error.message).toContain('transport');
  });
});
