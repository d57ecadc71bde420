import { ApiError } from '@google/genai';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { directStream } from '@tokenwire/core/internal';
import { describe, expect, it } from 'vitest';
import { googleBodyError, normalizeGoogleError } from './google-errors.js';
import { googleRecord } from './google-records.js';
import { googleTranslator } from './google-stream.js';

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
  const translator = googleTranslator('google');
  const response = responseOf(reads);
  const parts = {
    provider: 'google',
    wire: 'sse' as const,
    record: (record: Parameters<typeof googleRecord>[0]) => googleRecord(record, ApiError),
    translator,
    bodyError: (text: string) => googleBodyError(text),
  };
  const sent = {
    body: response.body as ReadableStream<Uint8Array>,
    headers: response.headers,
    request: 'POST http://127.0.0.1/v1/models/m:streamGenerateContent',
  };
  const stream = directStream(parts, sent, translator.start({ model: 'm', messages: [] }), maxRecordBytes);
  const deltas: AdapterDelta[] = [];
  let steps = 0;
  try {
    const iterator = stream.chunks[Symbol.asyncIterator]();
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      steps++;
      if (stream.translate(step.value, deltas) === true) break;
    }
    stream.end?.(deltas);
    return { deltas, error: undefined, steps };
  } catch (error) {
    return { deltas, error, steps };
  } finally {
    stream.close?.();
  }
}

const textOf = (deltas: AdapterDelta[]) =>
  deltas.map((delta) => (delta.type === 'text' ? delta.delta : '')).join('');

// googleRecord under core's direct transport (`directStream`), fed network reads.
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
