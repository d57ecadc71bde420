import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { AdapterDelta } from '../model/types.js';
import type { SSERecord } from './read-records.js';
import { framingOf } from './wire.js';
import { WireReads } from './wire-reads.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** SSE reads whose records are JSON text deltas; `{"stop":true}` is terminal, `{"fail":true}` throws. */
function sseReads(contentType: string | null = 'text/event-stream', maxRecordBytes?: number) {
  const ended: string[] = [];
  const reads = new WireReads(framingOf('sse'), {
    maxRecordBytes,
    head: { provider: 'acme', contentType, request: 'POST http://acme.test/v1/chat' },
    onRecord(record: SSERecord, out) {
      const value = JSON.parse(record.data) as { text?: string; stop?: boolean; fail?: boolean };
      if (value.fail) throw new Error('an in-band error');
      if (value.text !== undefined) out.push({ type: 'text', delta: value.text });
      return value.stop === true;
    },
    onEnd: () => ended.push('end'),
  });
  return { reads, ended };
}

const text = (deltas: AdapterDelta[]) =>
  deltas.map((delta) => (delta.type === 'text' ? delta.delta : '')).join('');

/** Pushes the reads, then ends; returns the deltas and the error, if any. */
function run(reads: WireReads<unknown>, chunks: string[]): { deltas: AdapterDelta[]; error: unknown } {
  const deltas: AdapterDelta[] = [];
  try {
    for (const chunk of chunks) if (reads.push(bytes(chunk), deltas)) break;
    reads.end(deltas);
    return { deltas, error: undefined };
  } catch (error) {
    return { deltas, error };
  }
}

describe('WireReads over SSE', () => {
  it('translates every record of a read in one call and reads nothing after the terminal record', () => {
    const { reads, ended } = sseReads();
    const out: AdapterDelta[] = [];
    const read = 'data: {"text":"a"}\n\ndata: {"text":"b","stop":true}\n\ndata: {"text":"late"}\n\n';
    expect(reads.push(bytes(read), out)).toBe(true);
    expect(reads.push(bytes('data: {"text":"later"}\n\n'), out)).toBe(true);
    reads.end(out);
    expect(text(out)).toBe('ab');
    expect(ended).toEqual(['end']);
  });

  it('takes a last event without its blank line when it reads whole', () => {
    const { reads } = sseReads();
    const { deltas, error } = run(reads, ['data: {"text":"a"}\n\ndata: {"text":"b"}\n']);
    expect(error).toBeUndefined();
    expect(text(deltas)).toBe('ab');
  });

  it('reports a last event cut off by the end of the body, after the events before it', () => {
    const { reads } = sseReads();
    const { deltas, error } = run(reads, ['data: {"text":"a"}\n\ndata: {"text":"b', 'cd"']);
    expect(text(deltas)).toBe('a');
    expect(error).toMatchObject({ code: 'invalid_response', provider: 'acme', retryable: true });
    expect((error as Error).message).toBe(
      'The acme stream ended inside a record: it was cut off (truncated stream).',
    );
  });

  it('delivers what a read gave before an error of its records', () => {
    const { reads } = sseReads();
    const { deltas, error } = run(reads, [
      'data: {"text":"kept"}\n\ndata: {"fail":true}\n\ndata: {"text":"x"}\n\n',
    ]);
    expect(text(deltas)).toBe('kept');
    expect((error as Error).message).toBe('an in-band error');
  });

  it('refuses a body that is not an event stream, quoting it, before translating anything', () => {
    const { reads } = sseReads('application/json');
    const { deltas, error } = run(reads, ['{"object":"chat.completion","choices":[]}']);
    expect(deltas).toEqual([]);
    expect(TokenwireError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'acme answered POST http://acme.test/v1/chat with a body of type application/json ("{"object":"chat.completion","choices":[]}"), not an event stream: is the base URL right?',
    );
  });

  it('names an HTML page by its title', () => {
    const { reads } = sseReads('text/html');
    const { error } = run(reads, ['<!doctype html><html><head><title>Sign in</title></head></html>']);
    expect((error as Error).message).toContain('with an HTML page (title "Sign in"), not an event stream');
  });

  it('holds leading blank lines until the body shows its wire, then decodes everything held', () => {
    const { reads } = sseReads();
    const out: AdapterDelta[] = [];
    expect(reads.push(bytes('\uFEFF'), out)).toBe(false);
    expect(reads.push(bytes('\n\n'), out)).toBe(false);
    expect(reads.push(bytes('data: {"text":"a"}\n\n'), out)).toBe(false);
    expect(text(out)).toBe('a');
  });

  it('names maxBytes.record for an event over the limit, whole in one read or still open', () => {
    const whole = run(sseReads('text/event-stream', 50).reads, [`data: {"text":"${'x'.repeat(80)}"}\n\n`]);
    expect((whole.error as Error).message).toContain('over maxBytes.record (50)');
    const open = run(sseReads('text/event-stream', 50).reads, ['data: {"text":"', 'x'.repeat(80)]);
    expect((open.error as Error).message).toContain('(read so far)');
  });
});

describe('WireReads over NDJSON', () => {
  function ndjsonReads(maxRecordBytes?: number) {
    return new WireReads(framingOf('ndjson'), {
      maxRecordBytes,
      head: {
        provider: 'acme',
        contentType: 'application/x-ndjson',
        request: 'POST http://acme.test/api/chat',
      },
      onRecord(value, out) {
        const line = value as { text?: string; done?: boolean };
        if (line.text !== undefined) out.push({ type: 'text', delta: line.text });
        return line.done === true;
      },
    });
  }

  it('parses the lines of each read, a last line without its newline too', () => {
    const { deltas, error } = run(ndjsonReads(), [
      '{"text":"a"}\r\n\n{"te',
      'xt":"b"}\n{"text":"c","done":true}',
    ]);
    expect(error).toBeUndefined();
    expect(text(deltas)).toBe('abc');
  });

  it('reports a malformed line as retryable invalid_response, after the lines before it', () => {
    const { deltas, error } = run(ndjsonReads(), ['{"text":"a"}\n{"text":\n']);
    expect(text(deltas)).toBe('a');
    expect(error).toMatchObject({ code: 'invalid_response', retryable: true });
    expect((error as Error).message).toBe(
      `The acme stream carried a record that is not valid JSON: line 2 of the response from the acme API is not a JSON object: "{"text":". Is the base URL the provider's, or a proxy that rewrites the response?`,
    );
  });

  it('names the base URL of the body in the error of a malformed line, as the sdk guard does', () => {
    const reads = new WireReads(framingOf('ndjson'), {
      maxRecordBytes: undefined,
      head: { provider: 'acme', contentType: null, request: 'the request', endpoint: 'http://gpu-box:11434' },
      onRecord: () => false,
    });
    const { error } = run(reads, ['{"text":"a"}\n\n<html><title>Bad gateway</title></html>\n']);
    expect((error as Error).message).toContain(
      'line 3 of the response from http://gpu-box:11434 is not a JSON object: an HTML page (title "Bad gateway").',
    );
  });

  it('ignores what follows the terminal record in the same read, a malformed line too', () => {
    const { deltas, error } = run(ndjsonReads(), ['{"text":"a"}\n{"text":"b","done":true}\nnot json\n']);
    expect(error).toBeUndefined();
    expect(text(deltas)).toBe('ab');
    const last = run(ndjsonReads(), ['{"text":"a","done":true}\n{"text":']);
    expect(last.error).toBeUndefined();
    expect(text(last.deltas)).toBe('a');
  });

  it('refuses a body that is not NDJSON, quoting it', () => {
    const { error } = run(ndjsonReads(), ['<html><body>Bad gateway</body></html>']);
    expect((error as Error).message).toBe(
      'acme answered POST http://acme.test/api/chat with an HTML page, not an NDJSON stream: is the base URL right?',
    );
  });

  it('names maxBytes.record for a line over the limit', () => {
    const { error } = run(ndjsonReads(20), [`{"text":"${'x'.repeat(40)}"}\n`]);
    expect((error as Error).message).toContain(
      'An NDJSON line of the acme stream is 51 characters, over maxBytes.record (20)',
    );
  });
});
