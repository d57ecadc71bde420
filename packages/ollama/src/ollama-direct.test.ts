import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import { collect } from '@tokenwire/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOllamaAdapter, type OllamaTransport } from './ollama-adapter.js';

// The direct transport's decoding, fed exact network reads through the `fetch` setting (so the
// request still goes through ollama-js), compared with the sdk transport on the same bytes.

const HOST = 'http://gpu-box:11434';
const encoder = new TextEncoder();
const user = [{ role: 'user' as const, content: 'Hi' }];
const line = (content: string) =>
  `${JSON.stringify({ model: 'llama3.2', created_at: '2026-12-01T00:00:00Z', message: { role: 'assistant', content }, done: false })}\n`;
const doneLine = `${JSON.stringify({
  model: 'llama3.2',
  created_at: '2026-12-01T00:00:01Z',
  message: { role: 'assistant', content: '' },
  done: true,
  done_reason: 'stop',
  prompt_eval_count: 5,
  eval_count: 3,
})}\n`;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A body of these reads; `stall` keeps it open after them. `cancelled` tells whether it was cancelled. */
function bodyOf(reads: Array<string | Uint8Array>, stall = false) {
  const state = { cancelled: false };
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const read = reads[index++];
      if (read !== undefined) controller.enqueue(typeof read === 'string' ? encoder.encode(read) : read);
      else if (!stall) controller.close();
      else return new Promise(() => {}); // never more
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

function fetchOf(reads: Array<string | Uint8Array>, stall = false) {
  const made = bodyOf(reads, stall);
  const fetch = (async () =>
    new Response(made.body, {
      headers: { 'content-type': 'application/x-ndjson' },
    })) as typeof globalThis.fetch;
  return { fetch, state: made.state };
}

function streamWith(transport: OllamaTransport, reads: Array<string | Uint8Array>) {
  const { fetch } = fetchOf(reads);
  const adapter = createOllamaAdapter({ host: HOST, fetch, transport });
  return collect(
    createTokenwire({ providers: { ollama: adapter }, retries: 0 }).stream({
      model: 'ollama/llama3.2',
      messages: user,
    }),
  );
}

function errorOf(events: StreamEvent[]): ErrorEvent {
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${JSON.stringify(last)}`);
  return last;
}

/** Every byte its own read: splits inside every UTF-8 character and every CRLF. */
const byteByByte = (text: string) => Array.from(encoder.encode(text), (byte) => new Uint8Array([byte]));

describe('ollama direct transport: decoding the reads', () => {
  it('yields the network reads as chunks and ends at the done line', async () => {
    const { fetch } = fetchOf([line('Hel'), line('lo') + doneLine]);
    const adapter = createOllamaAdapter({ host: HOST, fetch, transport: 'direct' });
    const opened = await adapter.open(
      { model: 'llama3.2', messages: user },
      { signal: new AbortController().signal },
    );
    const steps: Array<[boolean, string]> = [];
    for await (const chunk of opened.chunks) {
      expect(chunk).toBeInstanceOf(Uint8Array);
      const out: Array<{ type: string }> = [];
      steps.push([opened.translate(chunk, out as never) === true, out.map((delta) => delta.type).join(',')]);
    }
    expect(steps).toEqual([
      [false, 'start,text'],
      [true, 'text,usage,finish'],
    ]);
    opened.close?.();
  });

  it.each([
    ['UTF-8 characters split across reads', byteByByte(line('héllo wörld 🌍 ✓') + doneLine)],
    ['CRLF line ends, split between CR and LF', byteByByte(`${line('a').trim()}\r\n${doneLine.trim()}\r\n`)],
    ['a byte order mark', [`\uFEFF${line('bom')}`, doneLine]],
    ['blank lines', [line('x'), '\n\r\n', doneLine]],
    ['a last line without a newline', [line('end'), doneLine.trim()]],
  ])('gives the same events as the sdk transport for %s', async (_name, reads) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const direct = await streamWith('direct', reads);
    expect(direct.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(direct).toEqual(await streamWith('sdk', reads));
  });

  it('turns an in-band error line into the error the sdk transport gives, keeping the text of the same read', async () => {
    const reads = [line('Hello') + JSON.stringify({ error: 'model runner has unexpectedly stopped' })];
    const direct = errorOf(await streamWith('direct', reads));
    const sdk = errorOf(await streamWith('sdk', reads));
    expect(direct.error).toMatchObject({ code: 'server', retryable: sdk.error.retryable });
    expect(direct.error.message).toBe(sdk.error.message);
    expect(direct.error.message).toContain('model runner has unexpectedly stopped');
    expect(direct.partial.content).toBe('Hello');
    expect(sdk.partial.content).toBe('Hello');
  });

  it('ends at a malformed line with invalid_response, keeping the lines before it in the same read', async () => {
    const direct = errorOf(await streamWith('direct', [`${line('Hello')}{"model": }\n${doneLine}`]));
    expect(direct.error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(direct.error.message).toContain(
      'line 2 of the response from http://gpu-box:11434 is not a JSON object',
    );
    expect(direct.partial.content).toBe('Hello');
  });

  it('refuses a line that is JSON but not an object', async () => {
    const { error } = errorOf(await streamWith('direct', [line('Hello'), '42\n', doneLine]));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('is not a JSON object: "42"');
  });

  it('reports a body that ends before its done line as truncated, as the sdk transport does', async () => {
    const reads = [line('The sky'), line(' is')];
    const direct = errorOf(await streamWith('direct', reads));
    const sdk = errorOf(await streamWith('sdk', reads));
    expect(direct.error).toMatchObject({ code: 'invalid_response', message: sdk.error.message });
    expect(direct.error.message).toContain('truncated');
    expect(direct.partial.content).toBe('The sky is');
  });

  it('ends at a line over maxBytes.record that arrives whole in one read, keeping the lines before it', async () => {
    const { fetch } = fetchOf([line('Hello') + line('x'.repeat(5_000)) + doneLine]);
    const adapter = createOllamaAdapter({ host: HOST, fetch, transport: 'direct' });
    const events = await collect(
      createTokenwire({ providers: { ollama: adapter }, retries: 0, maxBytes: { record: 1_000 } }).stream({
        model: 'ollama/llama3.2',
        messages: user,
      }),
    );
    const { error, partial } = errorOf(events);
    expect(error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(error.message).toContain('over maxBytes.record (1,000)');
    expect(partial.content).toBe('Hello');
  });

  it('ignores what follows the done line', async () => {
    const events = await streamWith('direct', [`${line('Hi')}${doneLine}not json\n`]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hi' });
  });

  it('cancels the body (closing the connection) when the consumer stops', async () => {
    const { fetch, state } = fetchOf([line('Hello')], true);
    const adapter = createOllamaAdapter({ host: HOST, fetch, transport: 'direct' });
    const stream = createTokenwire({ providers: { ollama: adapter }, retries: 0 }).stream({
      model: 'ollama/llama3.2',
      messages: user,
    });
    const seen: StreamEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (event.type === 'token') break;
    }
    expect(seen.map((event) => event.type)).toEqual(['start', 'token']);
    await expect.poll(() => state.cancelled).toBe(true);
  });

  it('refuses a transport it does not know, as a configuration error', async () => {
    const adapter = createOllamaAdapter({ host: HOST, transport: 'fast' as OllamaTransport });
    const events = await collect(
      createTokenwire({ providers: { ollama: adapter }, retries: 0 }).stream({
        model: 'ollama/llama3.2',
        messages: user,
      }),
    );
    expect(errorOf(events).error).toMatchObject({ code: 'configuration' });
    expect(errorOf(events).error.message).toContain(
      "transport (provider 'ollama') must be 'direct' or 'sdk'",
    );
  });
});
