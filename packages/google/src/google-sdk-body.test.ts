import { TokenwireError } from '@tokenwire/core';
import { guardBody } from '@tokenwire/core/internal';
import { describe, expect, it } from 'vitest';
import { googleBodyError } from './google-errors.js';

// Core's sdk-transport guard of a Gemini body alone (what `context.guard` gives @google/genai),
// fed network reads: what the SDK would read of them.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A body that delivers these reads, one network read each. */
function body(reads: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const read = reads[index++];
      if (read === undefined) controller.close();
      else controller.enqueue(typeof read === 'string' ? encoder.encode(read) : read);
    },
  });
}

interface EventStreamGuardOptions {
  maxRecordBytes: number | undefined;
  contentType: string | null;
}
const OPTIONS: EventStreamGuardOptions = { maxRecordBytes: 40, contentType: 'text/event-stream' };

/** The guard the adapter's `fetch` puts before genai: the adapter's `bodyError` reads a Gemini error document. */
function guardEventStream(source: ReadableStream<Uint8Array>, options: EventStreamGuardOptions) {
  return guardBody(source, 'sse', {
    maxRecordBytes: options.maxRecordBytes,
    head: {
      provider: 'google',
      contentType: options.contentType,
      request: 'POST http://127.0.0.1:1/v1beta/models/m:streamGenerateContent',
      bodyError: (text: string) => googleBodyError(text),
    },
  });
}

/** Everything the guarded body hands on, as text, and how it ended. */
async function read(reads: Array<string | Uint8Array>, options: Partial<EventStreamGuardOptions> = {}) {
  const reader = guardEventStream(body(reads), { ...OPTIONS, ...options }).getReader();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error: error as Error };
  }
}

const record = (data: string, delimiter = '\r\n\r\n') => `data: ${data}${delimiter}`;

describe('guardBody over a Gemini body', () => {
  // Core's guard hands genai whole records only, re-encoded (`data: …\n\n`), comments dropped:
  // the SDK never buffers a cut record nor one over the limit.
  it('hands on the records of an event stream, whatever its delimiters and read boundaries', async () => {
    const stream = `${record('{"a":1}')}${record('{"b":2}', '\n\n')}: keep-alive\r\r${record('{"c":3}')}`;
    const byteReads = [...encoder.encode(stream)].map((byte) => Uint8Array.of(byte));
    expect(await read(byteReads)).toEqual({
      text: 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: {"c":3}\n\n',
      error: undefined,
    });
  });

  it('starts the measure again at every record, also one split across reads', async () => {
    // Each record's data is 29 characters; together they are far over the limit of 40.
    const one = record(`"${'x'.repeat(27)}"`);
    const reads = [one.slice(0, -3), one.slice(-3) + one.slice(0, -1), one.slice(-1) + one];
    expect(await read(reads)).toEqual({ text: `data: "${'x'.repeat(27)}"\n\n`.repeat(3), error: undefined });
  });

  it('counts characters, not bytes: a record of 40 characters in 120 bytes is within 40', async () => {
    const within = `data: ${'好'.repeat(40)}\n\n`;
    const over = `data: ${'好'.repeat(41)}\n\n`;
    expect([(await read([within])).error, (await read([over])).error?.message]).toEqual([
      undefined,
      expect.stringContaining('is 41 characters, over maxBytes.record (40)'),
    ]);
  });

  it('cuts a record over the limit, after handing on the whole records before it in the same read', async () => {
    const small = record('{"a":1}');
    const { text, error } = await read([small + record(`"${'x'.repeat(60)}"`) + small]);
    expect(text).toBe('data: {"a":1}\n\n');
    expect(TokenwireError.isInstance(error) && [error.code, error.retryable]).toEqual([
      'invalid_response',
      false,
    ]);
    expect(error?.message).toContain('over maxBytes.record (40)');
  });

  it('cuts a record that grows over the limit across reads, handing none of it on', async () => {
    const { text, error } = await read(['data: "', 'x'.repeat(30), 'x'.repeat(30), '"\r\n\r\n']);
    expect([text, error?.message.startsWith('An SSE event of the google stream (read so far) is')]).toEqual([
      '',
      true,
    ]);
  });

  it('measures nothing without a limit', async () => {
    const long = record(`"${'x'.repeat(10_000)}"`);
    expect(await read([long], { maxRecordBytes: undefined })).toEqual({
      text: `data: "${'x'.repeat(10_000)}"\n\n`,
      error: undefined,
    });
  });

  it('ends a body cut inside a record with invalid_response, which core retries before any output', async () => {
    const { text, error } = await read([record('{"a":1}'), 'data: {"candid']);
    expect([text, TokenwireError.isInstance(error) && [error.code, error.retryable], error?.message]).toEqual(
      [
        'data: {"a":1}\n\n',
        ['invalid_response', true],
        'The google stream ended inside a record: it was cut off (truncated stream).',
      ],
    );
  });

  it('takes a BOM, blank lines and an SSE comment at the start for an event stream, read a byte at a time', async () => {
    const stream = `\uFEFF\r\n: hello\r\n\r\n${record('{}')}`;
    const byteReads = [...encoder.encode(stream)].map((byte) => Uint8Array.of(byte));
    expect(await read(byteReads)).toEqual({ text: 'data: {}\n\n', error: undefined });
  });

  it('names an HTML page by its title, hands none of it on, and asks about the base URL', async () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>…</body></html>';
    const { text, error } = await read([page.slice(0, 3), page.slice(3)], { contentType: 'text/html' });
    expect([text, TokenwireError.isInstance(error) && error.code, error?.message]).toEqual([
      '',
      'invalid_response',
      'google answered POST http://127.0.0.1:1/v1beta/models/m:streamGenerateContent with an HTML page (title "Sign in"), not an event stream: is the base URL right?',
    ]);
  });

  it('quotes a short excerpt of other text, with its content type', async () => {
    const { error } = await read(['upstream connect error or disconnect/reset before headers'], {
      contentType: 'text/plain; charset=utf-8',
    });
    expect(error?.message).toBe(
      'google answered POST http://127.0.0.1:1/v1beta/models/m:streamGenerateContent with a body of type text/plain ("upstream connect error or disconnect/reset before headers"), not an event stream: is the base URL right?',
    );
  });

  it('takes a whole body that is a Gemini error for that error', async () => {
    const { error } = await read(
      ['{"error": {"code": 503, "message": "Overloaded", "status": "UNAVAILABLE"}}'],
      {
        contentType: 'application/json',
      },
    );
    expect(
      TokenwireError.isInstance(error) && [error.code, error.status, error.retryable, error.message],
    ).toEqual(['overloaded', 503, true, 'google API error 503 UNAVAILABLE: Overloaded']);
  });

  it('reads at most about 4 KB of a long body that is not an event stream', async () => {
    let served = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        served++;
        controller.enqueue(encoder.encode('{"candidates": []} '.repeat(50)));
      },
    });
    const reader = guardEventStream(endless, { ...OPTIONS, contentType: 'application/json' }).getReader();
    await expect(reader.read()).rejects.toThrow('with a body of type application/json ("{"candidates"');
    expect(served).toBeLessThan(10);
  });
});
