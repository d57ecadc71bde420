import { describe, expect, it } from 'vitest';
import { guardBody, RecordCount } from './sdk-guard.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A body that gives the given reads, one per `read()`. */
function bodyOf(reads: string[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const read = reads[index++];
      if (read === undefined) controller.close();
      else controller.enqueue(encoder.encode(read));
    },
  });
}

const head = { provider: 'acme', contentType: 'text/event-stream', request: 'POST http://acme.test/v1' };

/** What a client reading the guarded body gets: each read as text, then the error that ended it. */
async function readGuarded(body: ReadableStream<Uint8Array>): Promise<{ reads: string[]; error: unknown }> {
  const reader = body.getReader();
  const reads: string[] = [];
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read())
      reads.push(decoder.decode(read.value));
    return { reads, error: undefined };
  } catch (error) {
    return { reads, error };
  }
}

describe('guardBody over SSE', () => {
  const guarded = (reads: string[], maxRecordBytes?: number) =>
    readGuarded(guardBody(bodyOf(reads), 'sse', { maxRecordBytes, head }));

  it('hands on whole events only, one piece per read, without the keep-alive comments', async () => {
    const { reads, error } = await guarded([': ping\n\ndata: {"a":1}\n\nda', 'ta: {"b":', '2}\r\n\r\n']);
    expect(error).toBeUndefined();
    expect(reads).toEqual(['data: {"a":1}\n\n', 'data: {"b":2}\n\n']);
  });

  it('keeps event names, ids and multi-line data', async () => {
    const { reads } = await guarded(['event: delta\nid: 7\ndata: line one\ndata: line two\n\n']);
    expect(reads).toEqual(['event: delta\nid: 7\ndata: line one\ndata: line two\n\n']);
  });

  it('hands on the events before an oversized one, then ends with the maxBytes.record error', async () => {
    const { reads, error } = await guarded(['data: {"a":1}\n\n', `data: "${'x'.repeat(100)}"\n\n`], 50);
    expect(reads).toEqual(['data: {"a":1}\n\n']);
    expect((error as Error).message).toContain('over maxBytes.record (50)');
  });

  it('ends a body cut inside an event with the truncation error, after the whole events', async () => {
    const { reads, error } = await guarded(['data: {"a":1}\n\ndata: {"b"']);
    expect(reads).toEqual(['data: {"a":1}\n\n']);
    expect(error).toMatchObject({ code: 'invalid_response', retryable: true });
    expect((error as Error).message).toContain('ended inside a record');
  });

  it('refuses a body that is not an event stream before the SDK sees any of it', async () => {
    const { reads, error } = await guarded(['<html><title>Login</title></html>']);
    expect(reads).toEqual([]);
    expect((error as Error).message).toBe(
      'acme answered POST http://acme.test/v1 with an HTML page (title "Login"), not an event stream: is the base URL right?',
    );
  });
});

describe('guardBody over NDJSON', () => {
  it('hands on whole lines, each a JSON object, and counts them', async () => {
    const count = new RecordCount('acme');
    const body = guardBody(bodyOf(['{"a":1}\n{"b"', ':2}\n\n{"c":3}']), 'ndjson', {
      maxRecordBytes: undefined,
      head,
      count,
    });
    const reader = body.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe('{"a":1}\n');
    count.received = 1;
    expect(decoder.decode((await reader.read()).value)).toBe('{"b":2}\n');
    count.received = 2;
    expect(decoder.decode((await reader.read()).value)).toBe('{"c":3}\n');
    count.received = 3;
    expect((await reader.read()).done).toBe(true);
    expect(count.delivered).toBe(3);
  });

  it('stops at a line that is not a JSON object, after the lines before it', async () => {
    const body = guardBody(bodyOf(['{"a":1}\nnot json\n{"b":2}\n']), 'ndjson', {
      maxRecordBytes: undefined,
      head,
    });
    const { reads, error } = await readGuarded(body);
    expect(reads).toEqual(['{"a":1}\n']);
    expect((error as Error).message).toBe(
      `The acme stream carried a record that is not valid JSON: line 2 of the response from the acme API is not a JSON object: "not json". Is the base URL the provider's, or a proxy that rewrites the response?`,
    );
  });

  it('names the line as the direct transport does (blank lines count) and the base URL, an HTML page by its title', async () => {
    const page =
      '<html><head><title>502 Bad Gateway</title></head><body>Authorization: Bearer sk-1</body></html>';
    const body = guardBody(bodyOf([`{"a":1}\n\n${page}\n`]), 'ndjson', {
      maxRecordBytes: undefined,
      head: { ...head, endpoint: 'http://acme.test' },
    });
    const { reads, error } = await readGuarded(body);
    expect(reads).toEqual(['{"a":1}\n']);
    expect(error).toMatchObject({ code: 'invalid_response', retryable: true });
    expect((error as Error).message).toContain(
      'line 3 of the response from http://acme.test is not a JSON object: an HTML page (title "502 Bad Gateway").',
    );
    expect((error as Error).message).not.toContain('Bearer');
  });

  it('ends the body when the client yielded fewer chunks than it was handed lines', async () => {
    const count = new RecordCount('acme');
    const body = guardBody(bodyOf(['{"a":1}\n{"b":}\n', '{"c":3}\n']), 'ndjson', {
      maxRecordBytes: undefined,
      head,
      count,
    });
    const reader = body.getReader();
    await reader.read();
    count.received = 1; // the client could not parse {"b":} and skipped it
    await expect(reader.read()).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('a line that the acme client could not parse and skipped'),
    });
  });
});
