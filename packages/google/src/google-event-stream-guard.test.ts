import { TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { type EventStreamGuardOptions, guardEventStream } from './google-event-stream-guard.js';

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

const OPTIONS: EventStreamGuardOptions = {
  provider: 'google',
  maxRecordBytes: 40,
  request: 'POST http://127.0.0.1:1/v1beta/models/m:streamGenerateContent',
  contentType: 'text/event-stream',
};

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

describe('guardEventStream', () => {
  it('hands on an event stream unchanged, whatever its delimiters and read boundaries', async () => {
    const stream = `${record('{"a":1}')}${record('{"b":2}', '\n\n')}: keep-alive\r\r${record('{"c":3}')}`;
    const byteReads = [...encoder.encode(stream)].map((byte) => Uint8Array.of(byte));
    expect(await read(byteReads)).toEqual({ text: stream, error: undefined });
  });

  it('starts the measure again at every delimiter, also one split across reads', async () => {
    // Each record is 35 characters; together they are far over the limit of 40.
    const one = record(`"${'x'.repeat(27)}"`);
    const reads = [one.slice(0, -3), one.slice(-3) + one.slice(0, -1), one.slice(-1) + one];
    expect(await read(reads)).toEqual({ text: one.repeat(3), error: undefined });
  });

  it('counts characters, not bytes: a record of 40 characters in 108 bytes is within 40', async () => {
    const within = `data: ${'好'.repeat(34)}\n\n`;
    const over = `data: ${'好'.repeat(35)}\n\n`;
    expect([(await read([within])).error, (await read([over])).error?.message]).toEqual([
      undefined,
      expect.stringContaining('is 41 characters, over maxBytes.record (40)'),
    ]);
  });

  it('cuts a record over the limit, after handing on the whole records before it in the same read', async () => {
    const small = record('{"a":1}');
    const { text, error } = await read([small + record(`"${'x'.repeat(60)}"`) + small]);
    expect(text).toBe(small);
    expect(TokenwireError.isInstance(error) && [error.code, error.retryable]).toEqual([
      'invalid_response',
      false,
    ]);
    expect(error?.message).toContain('over maxBytes.record (40)');
  });

  it('cuts a record that grows over the limit across reads', async () => {
    const { text, error } = await read(['data: "', 'x'.repeat(30), 'x'.repeat(30), '"\r\n\r\n']);
    expect([
      text,
      error?.message.startsWith('An SSE event of the google stream (read so far) is 41'),
    ]).toEqual(['data: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', true]);
  });

  it('measures nothing without a limit', async () => {
    const long = record(`"${'x'.repeat(10_000)}"`);
    expect(await read([long], { maxRecordBytes: undefined })).toEqual({ text: long, error: undefined });
  });

  it('ends a body cut inside a record with a SyntaxError, which core retries before any output', async () => {
    const { text, error } = await read([record('{"a":1}'), 'data: {"candid']);
    expect([text, error instanceof SyntaxError, error?.message]).toEqual([
      `${record('{"a":1}')}data: {"candid`,
      true,
      'the stream ended inside a record (14 characters of it arrived): it was cut off.',
    ]);
  });

  it('takes a BOM, blank lines and an SSE comment at the start for an event stream, read a byte at a time', async () => {
    const stream = `\uFEFF\r\n: hello\r\n\r\n${record('{}')}`;
    const byteReads = [...encoder.encode(stream)].map((byte) => Uint8Array.of(byte));
    expect(await read(byteReads)).toEqual({ text: stream, error: undefined });
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
