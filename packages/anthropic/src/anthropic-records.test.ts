import { APIError } from '@anthropic-ai/sdk';
import { Stream } from '@anthropic-ai/sdk/streaming';
import { type AdapterDelta, type ChunkStream, deltasFromChunkStream } from '@tokenwire/core/adapter';
import { directStream, responseBody } from '@tokenwire/core/internal';
import { describe, expect, it } from 'vitest';
import { normalizeAnthropicError } from './anthropic-errors.js';
import { events } from './anthropic-events.test-helpers.js';
import { anthropicRecord } from './anthropic-records.js';
import {
  type AnthropicStreamEvent,
  createAnthropicStreamState,
  translateAnthropicEventInto,
} from './anthropic-stream.js';
import { anthropicTranslator } from './anthropic-translator.js';

// The direct transport — core's SSE reader with `anthropicRecord` and the adapter's translator —
// against the SDK's own Stream over the same bytes, cut the same way: the same deltas, then the
// same error (normalized), on both.

const { messageStart, blockStart, text, blockStop, messageDelta, messageStop } = events;
const encoder = new TextEncoder();
const HEADERS = { 'content-type': 'text/event-stream', 'request-id': 'req_direct_1' };

const sse = (payload: AnthropicStreamEvent | Record<string, unknown>, eol = '\n'): string =>
  `event: ${(payload as { type: string }).type}${eol}data: ${JSON.stringify(payload)}${eol}${eol}`;
const hello = (eol = '\n', words = ['Héllo', ' wörld 🌍']): string =>
  [
    messageStart(),
    blockStart(0, { type: 'text', text: '' }),
    ...words.map((word) => text(0, word)),
    blockStop(0),
    messageDelta('end_turn', { output_tokens: 3 }),
    messageStop(),
  ]
    .map((payload) => sse(payload, eol))
    .join('');

/** The body as reads of `size` bytes (every byte its own read by default: UTF-8 split everywhere). */
function reads(body: string | Uint8Array, size = 1): Uint8Array[] {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const out: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) out.push(bytes.subarray(start, start + size));
  return out;
}

function responseOf(chunks: Uint8Array[], onCancel?: () => void): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[index++];
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
    cancel: () => onCancel?.(),
  });
  return new Response(body, { status: 200, headers: HEADERS });
}

function direct(response: Response, maxRecordBytes?: number): ChunkStream<Uint8Array> {
  const translator = anthropicTranslator('anthropic', 'native');
  const parts = { provider: 'anthropic', wire: 'sse' as const, record: anthropicRecord, translator };
  const sent = { body: responseBody(response, 'Anthropic'), headers: response.headers };
  return directStream(parts, sent, createAnthropicStreamState('anthropic'), maxRecordBytes);
}

function viaSdk(response: Response): ChunkStream<AnthropicStreamEvent> {
  const state = createAnthropicStreamState('anthropic');
  const stream = Stream.fromSSEResponse<AnthropicStreamEvent>(response, new AbortController());
  return {
    chunks: stream,
    translate: (event, out) => translateAnthropicEventInto(event, state, out),
    close: () => stream.controller.abort(),
  };
}

/** The deltas a stream yields, then the error it ends with (thrown, not normalized). */
async function run(opened: ChunkStream): Promise<{ deltas: AdapterDelta[]; error: unknown }> {
  const deltas: AdapterDelta[] = [];
  try {
    for await (const delta of deltasFromChunkStream(() => opened)) deltas.push(delta);
    return { deltas, error: undefined };
  } catch (error) {
    return { deltas, error };
  }
}

/** Both transports over the same reads: their deltas and their normalized errors must agree. */
async function both(chunks: Uint8Array[]) {
  const mine = await run(direct(responseOf(chunks)));
  const theirs = await run(viaSdk(responseOf(chunks)));
  expect(mine.deltas).toEqual(theirs.deltas);
  const normalize = (error: unknown) => {
    if (error === undefined) return undefined;
    const normalized = normalizeAnthropicError(error);
    return normalized === undefined
      ? { name: (error as Error).name }
      : { code: normalized.code, message: normalized.message, status: normalized.status };
  };
  expect(normalize(mine.error)).toEqual(normalize(theirs.error));
  return mine;
}

const textOf = (deltas: AdapterDelta[]) =>
  deltas.flatMap((delta) => (delta.type === 'text' ? [delta.delta] : [])).join('');

describe('the direct transport reads the SSE body as the SDK does', () => {
  it('decodes UTF-8 split across reads (every byte its own read)', async () => {
    const { deltas, error } = await both(reads(hello()));
    expect(error).toBeUndefined();
    expect(textOf(deltas)).toBe('Héllo wörld 🌍');
    expect(deltas.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
  });

  it('reads the whole body in one read, and in reads of 7 bytes', async () => {
    expect(textOf((await both(reads(hello(), 1 << 20))).deltas)).toBe('Héllo wörld 🌍');
    expect(textOf((await both(reads(hello(), 7))).deltas)).toBe('Héllo wörld 🌍');
  });

  it('accepts CRLF line ends, split between \\r and \\n too', async () => {
    expect(textOf((await both(reads(hello('\r\n')))).deltas)).toBe('Héllo wörld 🌍');
  });

  it('drops a leading BOM', async () => {
    const { deltas } = await both(reads(`\uFEFF${hello()}`, 2));
    expect(textOf(deltas)).toBe('Héllo wörld 🌍');
  });

  it('skips keep-alives: `ping` events, comments, and records without an event name', async () => {
    const body = hello().replace(
      'event: content_block_stop',
      `: keep-alive\n\n${sse({ type: 'ping' })}data: ${JSON.stringify(text(0, ' dropped'))}\n\nevent: content_block_stop`,
    );
    expect(textOf((await both(reads(body, 5))).deltas)).toBe('Héllo wörld 🌍');
  });

  it('ignores what follows message_stop', async () => {
    const body = `${hello()}${sse(text(0, ' after'))}event: broken\ndata: {not json\n\n`;
    const { deltas, error } = await run(direct(responseOf(reads(body, 1 << 20))));
    expect([textOf(deltas), error]).toEqual(['Héllo wörld 🌍', undefined]);
  });

  it('throws the SDK’s own status-less APIError for `event: error`, after the records before it in the same read', async () => {
    const inBand = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    const body = hello().replace('event: content_block_stop', `${sse(inBand)}event: content_block_stop`);
    for (const size of [1, 1 << 20]) {
      const { deltas, error } = await both(reads(body, size));
      expect(textOf(deltas)).toBe('Héllo wörld 🌍');
      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({
        status: undefined,
        type: 'overloaded_error',
        requestID: 'req_direct_1',
        error: inBand,
      });
      expect(normalizeAnthropicError(error)).toMatchObject({ code: 'overloaded', retryable: true });
    }
  });

  it('keeps an `event: error` whose data is not JSON as its text, as the SDK does', async () => {
    const body = `${sse(messageStart())}event: error\ndata: upstream exploded\n\n`;
    const { error } = await both(reads(body, 1 << 20));
    expect(error).toMatchObject({ status: undefined, error: 'upstream exploded', type: null });
  });

  it('throws a raw SyntaxError for a malformed record (core: invalid_response), after the text before it', async () => {
    const body = hello().replace(
      'event: content_block_stop',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"and\n\nevent: content_block_stop',
    );
    for (const size of [3, 1 << 20]) {
      const { deltas, error } = await both(reads(body, size));
      expect(textOf(deltas)).toBe('Héllo wörld 🌍');
      expect(error).toBeInstanceOf(SyntaxError);
    }
  });

  it('ends a truncated body without finish, a cut record dropped (direct: core says it was cut off)', async () => {
    const full = hello();
    const cut = full.slice(0, full.indexOf('event: message_delta') + 40);
    // The SDK drops the cut record silently and the runtime reports the missing message_stop;
    // core's reader says the body ended inside a record (the same code, retried the same way).
    const mine = await run(direct(responseOf(reads(cut, 4))));
    const theirs = await run(viaSdk(responseOf(reads(cut, 4))));
    expect(mine.deltas).toEqual(theirs.deltas);
    expect(theirs.error).toBeUndefined();
    expect(mine.error).toMatchObject({
      code: 'invalid_response',
      retryable: true,
      message: 'The anthropic stream ended inside a record: it was cut off (truncated stream).',
    });
    expect(textOf(mine.deltas)).toBe('Héllo wörld 🌍');
    expect(mine.deltas.some((delta) => delta.type === 'finish')).toBe(false);
  });

  it('refuses a 200 body that is not SSE from its start (a proxy page), quoting it', async () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>…</body></html>';
    const { deltas, error } = await run(direct(responseOf(reads(page, 16))));
    expect(deltas).toEqual([]);
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('"Sign in"') });
  });

  it('cancels the body (closing the connection) on close(), once', async () => {
    let cancels = 0;
    const opened = direct(responseOf(reads(hello(), 8), () => cancels++));
    const iterator = opened.chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    opened.close?.();
    opened.close?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancels).toBe(1);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancels = 0;
    const generator = deltasFromChunkStream(() => direct(responseOf(reads(hello(), 8), () => cancels++)));
    for await (const delta of generator) if (delta.type === 'text') break;
    expect(cancels).toBe(1);
  });

  it('refuses a record longer than maxBytes.record arriving across reads', async () => {
    const { error } = await run(direct(responseOf(reads(hello(), 8)), 64));
    expect(error).toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('maxBytes.record'),
    });
  });
});
