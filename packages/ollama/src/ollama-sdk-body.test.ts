import { TokenwireError } from '@tokenwire/core';
import { guardBody, RecordCount } from '@tokenwire/core/internal';
import { describe, expect, it } from 'vitest';

// Core's sdk-transport guard of an Ollama body alone, fed network reads: what the ollama client
// would read of them.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true }); // keeps a BOM, to see whether it passes

/** The reads the client gets from `reads`, and the error the body ends with, if any. */
async function readGuarded(reads: Array<string | Uint8Array>, maxLineBytes?: number) {
  const lines = new RecordCount('ollama');
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(typeof read === 'string' ? encoder.encode(read) : read);
      controller.close();
    },
  });
  const reader = guardBody(source, 'ndjson', {
    maxRecordBytes: maxLineBytes,
    head: {
      provider: 'ollama',
      contentType: 'application/x-ndjson',
      request: 'POST http://gpu-box:11434/api/chat',
      endpoint: 'http://gpu-box:11434',
    },
    count: lines,
  }).getReader();
  const received: string[] = [];
  let error: unknown;
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received.push(decoder.decode(value));
      // As the client does: every whole line it parses is a chunk, which the adapter counts.
      const parts = (buffer + decoder.decode(value)).split('\n');
      buffer = parts.pop() ?? '';
      lines.received += parts.filter((part) => part.trim() !== '').length;
    }
  } catch (thrown) {
    error = thrown;
  }
  return { received, error, lines };
}

describe('guardBody', () => {
  it('hands over whole lines only, holding the start of a line until its end arrives', async () => {
    const { received, error } = await readGuarded(['{"a":1}\n{"b"', ':2}\n{"c":3}', '\n']);
    expect(error).toBeUndefined();
    expect(received.join('')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
    expect(received).toEqual(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n']);
  });

  it('joins a line that arrives in many reads into one piece, so the client splits it once', async () => {
    const line = `{"content":"${'x'.repeat(50)}"}\n`;
    const reads = line.match(/.{1,7}/gs) ?? [];
    const { received } = await readGuarded(reads);
    expect(received).toEqual([line]);
  });

  it('passes a last line without a newline, blank lines, CRLF and a BOM', async () => {
    const { received, error } = await readGuarded(['\uFEFF{"a":1}\r\n\n  \n{"b":2}']);
    expect(error).toBeUndefined();
    // The BOM and the blank lines dropped (the client skips them too), every line ended by a newline.
    expect(received.join('')).toBe('{"a":1}\r\n{"b":2}\n');
  });

  it('ends with invalid_response at a line that is not a JSON object, after the lines before it', async () => {
    const { received, error } = await readGuarded(['{"a":1}\n{"broken": \n{"c":3}\n']);
    expect(received).toEqual(['{"a":1}\n']);
    expect(error).toMatchObject({ code: 'invalid_response', retryable: true });
    expect((error as Error).message).toContain(
      'line 2 of the response from http://gpu-box:11434 is not a JSON object: "{"broken":"',
    );
  });

  it('names an HTML page by its title, never quoting the page', async () => {
    const page =
      '<html><head><title>502 Bad Gateway</title></head><body>Authorization: Bearer sk-1</body></html>';
    const { error } = await readGuarded([`${page}\n`]);
    // At the start of the body: core's refusal of a body that is not NDJSON.
    expect((error as Error).message).toContain(
      'with an HTML page (title "502 Bad Gateway"), not an NDJSON stream',
    );
    expect((error as Error).message).not.toContain('Bearer');
  });

  it('refuses a malformed last line without a newline, and one begun in an earlier read', async () => {
    expect((await readGuarded(['{"a":1}\n{"b":'])).error).toMatchObject({ code: 'invalid_response' });
    const split = await readGuarded(['{"a":1}\n{"b":', '2\n']);
    expect(split.received).toEqual(['{"a":1}\n']);
    expect(split.error).toMatchObject({ code: 'invalid_response' });
  });

  it('ends with maxBytes.record at a line over the limit, within one read or across many', async () => {
    const long = `{"content":"${'x'.repeat(200)}"}`;
    for (const reads of [[`{"a":1}\n${long}\n`], ['{"a":1}\n', ...(long.match(/.{1,16}/g) ?? [])]]) {
      const { received, error } = await readGuarded(reads, 100);
      expect(received).toEqual(['{"a":1}\n']);
      expect(TokenwireError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'invalid_response', retryable: false });
      expect((error as Error).message).toContain('over maxBytes.record (100)');
    }
  });

  it('cuts a line over the limit as soon as the limit is passed, not at its end', async () => {
    // The body never ends the line: the guard must not wait for it.
    const { received, error } = await readGuarded(['{"a":1}\n', `{"content":"${'x'.repeat(150)}`], 100);
    expect(received).toEqual(['{"a":1}\n']);
    expect((error as Error).message).toContain('An NDJSON line of the ollama stream is 162 characters');
  });

  it('counts the lines it hands over, so a line the client skipped shows as a difference', async () => {
    const count = new RecordCount('ollama');
    count.delivered = 3;
    count.received = 2;
    expect(count.check()).toMatchObject({ code: 'invalid_response' });
    expect(count.check()?.message).toContain('a line that the ollama client could not parse and skipped');
    count.received = 3;
    expect(count.check()).toBeUndefined();
    const { lines } = await readGuarded(['{"a":1}\n\n{"b":2}\n', '{"c":3}']);
    expect(lines.delivered).toBe(3);
  });
});
