import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ByteSplit } from './byte-splits.js';
import { type Piece, writePieces } from './replay-body.js';
import { createReplayServer, type ReplayServer } from './replay-server.js';

let server: ReplayServer;
beforeEach(async () => {
  server = await createReplayServer();
});
afterEach(async () => {
  await server.close();
});

/** POSTs JSON and reads the body, keeping each read the client saw. */
async function post(path: string, body: unknown = { stream: true }, signal?: AbortSignal) {
  const response = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
  const reads: Uint8Array[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let error: unknown;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads.push(value);
    }
  } catch (thrown) {
    error = thrown;
  }
  const text = new TextDecoder().decode(Buffer.concat(reads));
  return { response, reads, text, error };
}

/**
 * The lengths of the writes the server makes for `pieces` cut by `split`, recorded by a response
 * that counts them: how a client's reads group the writes depends on TCP and timing.
 */
async function writesOf(pieces: Piece[], split: ByteSplit): Promise<number[]> {
  const writes: number[] = [];
  const response = {
    destroyed: false,
    write: (bytes: Buffer, done: () => void) => {
      writes.push(bytes.length);
      done();
      return true;
    },
  } as unknown as ServerResponse;
  await writePieces(response, pieces, split, new Promise(() => {}));
  return writes;
}

describe('wire formats', () => {
  it('frames OpenAI chat payloads as data records and ends with [DONE]', async () => {
    server.enqueue({ payloads: [{ a: 1 }, { b: 2 }] });
    const { text, response } = await post('/v1/chat/completions');
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(text).toBe('data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n');
  });

  it('names OpenAI Responses and Anthropic events after the payload type', async () => {
    server.enqueue({ payloads: [{ type: 'response.created' }] }, { payloads: [{ type: 'message_stop' }] });
    expect((await post('/v1/responses')).text).toBe(
      'event: response.created\ndata: {"type":"response.created"}\n\n',
    );
    expect((await post('/v1/messages')).text).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
  });

  it('separates Gemini records with CRLF pairs on both API versions', async () => {
    server.enqueue({ payloads: [{ candidates: [] }] }, { payloads: [{ candidates: [] }] });
    const path = (version: string) => `/${version}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`;
    expect((await post(path('v1beta'))).text).toBe('data: {"candidates":[]}\r\n\r\n');
    expect((await post(path('v1'))).text).toBe('data: {"candidates":[]}\r\n\r\n');
    expect(server.requests.map((request) => request.protocol)).toEqual(['gemini', 'gemini']);
  });

  it('streams Ollama payloads as NDJSON', async () => {
    server.enqueue({ payloads: [{ done: false }, { done: true }] });
    const { text, response } = await post('/api/chat');
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(text).toBe('{"done":false}\n{"done":true}\n');
  });

  it('sends a string payload verbatim', async () => {
    server.enqueue({ payloads: ['{not json'] });
    expect((await post('/v1/chat/completions')).text).toBe('data: {not json\n\ndata: [DONE]\n\n');
  });

  it('replays a fixture file', async () => {
    server.enqueue({
      fixture: new URL(
        '../../../../shared/fixtures/openai-chat-compatible/mistral-tool-call.chunks.txt',
        import.meta.url,
      ),
    });
    const { text } = await post('/v1/chat/completions');
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(3);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

describe('requests and scripts', () => {
  it('records method, path, url, headers, body and protocol', async () => {
    server.enqueue({ payloads: [] });
    await post('/v1beta/models/m:streamGenerateContent?alt=sse', { contents: [] });
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1beta/models/m:streamGenerateContent',
        url: '/v1beta/models/m:streamGenerateContent?alt=sse',
        body: { contents: [] },
        protocol: 'gemini',
      }),
    ]);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('answers a request with no script queued with a 500 that says so', async () => {
    const { response, text } = await post('/v1/chat/completions');
    expect(response.status).toBe(500);
    expect(JSON.parse(text).error.message).toBe(
      'replay server: no script queued for POST /v1/chat/completions',
    );
  });

  it('answers an unknown path with a 404 and keeps the script for the next request', async () => {
    server.enqueue({ payloads: [{ done: true }] });
    expect((await post('/somewhere/else')).response.status).toBe(404);
    expect((await post('/api/chat')).text).toBe('{"done":true}\n');
  });

  it('serves a forced protocol on any path', async () => {
    server.enqueue({ protocol: 'gemini', payloads: [{ event_type: 'x' }] });
    expect((await post('/v1beta/interactions')).text).toBe('data: {"event_type":"x"}\r\n\r\n');
  });

  it('gives each request the next script, also when queued at creation', async () => {
    await server.close();
    server = await createReplayServer({ scripts: [{ status: 429 }, { payloads: [{ done: true }] }] });
    expect((await post('/api/chat')).response.status).toBe(429);
    expect((await post('/api/chat')).response.status).toBe(200);
  });
});

describe('faults', () => {
  it('cuts the body at the given byte offsets, inside a UTF-8 character', async () => {
    // The writes are checked at the server; over the network only the text (TCP may join reads).
    const pieces = [
      { bytes: Buffer.from('data: 你\n\n'), pause: 0 }, // 'data: ' is 6 bytes, '你' 3, then '\n\n'
      { bytes: Buffer.from('data: [DONE]\n\n'), pause: 0, terminal: true },
    ];
    expect(await writesOf(pieces, [7])).toEqual([7, 4, 14]);
    server.enqueue({ payloads: ['你'], split: [7] });
    expect((await post('/v1/chat/completions')).text).toBe('data: 你\n\ndata: [DONE]\n\n');
  });

  it('cuts the body inside every multi-byte UTF-8 character', async () => {
    // 'a' + lead byte | 2nd byte | 3rd byte + emoji lead | 2nd | 3rd | 4th + '\n'
    expect(await writesOf([{ bytes: Buffer.from('a你🙂\n'), pause: 0 }], 'inside-characters')).toEqual([
      2, 1, 2, 1, 1, 2,
    ]);
    server.enqueue({ payloads: ['a你🙂'], split: 'inside-characters' });
    expect((await post('/api/chat')).text).toBe('a你🙂\n');
  });

  it('cuts the body at seeded random boundaries within the given sizes', async () => {
    const line = Buffer.from(`${JSON.stringify({ text: '你好🙂'.repeat(4) })}\n`);
    const writes = await writesOf([{ bytes: line, pause: 0 }], { min: 1, max: 3, seed: 7 });
    expect(writes.length).toBeGreaterThan(10);
    expect(writes.every((length) => length >= 1 && length <= 3)).toBe(true);
    server.enqueue({ payloads: [{ text: '你好🙂'.repeat(4) }], split: { min: 1, max: 3, seed: 7 } });
    expect(JSON.parse((await post('/api/chat')).text).text).toBe('你好🙂'.repeat(4));
  });

  it('pauses between records', async () => {
    server.enqueue({ payloads: [{ a: 1 }, { b: 2 }], delayMs: 120 });
    const started = performance.now();
    await post('/api/chat');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('stalls after N records until the client closes, and counts the close', async () => {
    server.enqueue({ payloads: [{ a: 1 }, { b: 2 }], stallAfter: 1 });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/chat`, { method: 'POST', signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":1}\n');
    const next = reader.read().catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.closedByClient).toBe(0);
    controller.abort();
    expect(await next).toBeInstanceOf(Error);
    await server.waitForClientClose();
    expect(server.closedByClient).toBe(1);
  });

  it('destroys the socket after N records', async () => {
    server.enqueue({ payloads: [{ a: 1 }, { b: 2 }], destroyAfter: 1 });
    const { text, error } = await post('/api/chat');
    expect(text).toBe('{"a":1}\n');
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(server.closedByClient).toBe(0);
  });

  it('ends cleanly after N records without the terminal record', async () => {
    server.enqueue({ payloads: [{ a: 1 }, { b: 2 }], endAfter: 1 });
    const { text, error } = await post('/v1/chat/completions');
    expect(error).toBeUndefined();
    expect(text).toBe('data: {"a":1}\n\n');
  });

  it('writes the vendor in-band error record after N records, then ends', async () => {
    const script = {
      payloads: [{ type: 'message_start' }, { type: 'message_stop' }],
      inBandError: { after: 1 },
    };
    server.enqueue(script, script, script, script, script);
    expect((await post('/v1/messages')).text).toBe(
      'event: message_start\ndata: {"type":"message_start"}\n\n' +
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    expect((await post('/v1/chat/completions')).text).toContain(
      'data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}\n\n',
    );
    expect((await post('/v1/chat/completions')).text).not.toContain('[DONE]');
    expect((await post('/v1/models/m:streamGenerateContent')).text).toContain(
      'data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}\r\n\r\n',
    );
    expect((await post('/api/chat')).text).toBe(
      '{"type":"message_start"}\n{"error":"an error was encountered while running the model"}\n',
    );
  });

  it('sends keep-alive comments at the start and between records', async () => {
    server.enqueue({ payloads: [{ a: 1 }, { b: 2 }], keepAlive: true });
    expect((await post('/v1/chat/completions')).text).toBe(
      ': keep-alive\n\ndata: {"a":1}\n\n: keep-alive\n\ndata: {"b":2}\n\ndata: [DONE]\n\n',
    );
  });

  it('answers a status in the vendor error format with extra headers and a request id', async () => {
    const script = { status: 429, headers: { 'retry-after': '1' } };
    server.enqueue(script, script, script, script);
    const openai = await post('/v1/chat/completions');
    expect(openai.response.status).toBe(429);
    expect(openai.response.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(openai.text)).toEqual({
      error: {
        message: 'Rate limit exceeded, please retry later',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    const anthropic = await post('/v1/messages');
    expect(JSON.parse(anthropic.text)).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Rate limit exceeded, please retry later' },
      request_id: anthropic.response.headers.get('request-id'),
    });
    const gemini = await post('/v1beta/models/m:streamGenerateContent');
    expect(JSON.parse(gemini.text).error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(JSON.parse((await post('/api/chat')).text)).toEqual({
      error: 'Rate limit exceeded, please retry later',
    });
  });

  it('uses a given error body instead of the vendor default', async () => {
    server.enqueue({ status: 400, errorBody: { error: { message: 'API key not valid' } } });
    expect(JSON.parse((await post('/api/chat')).text)).toEqual({ error: { message: 'API key not valid' } });
  });

  it('rejects waitForClientClose when no client closes in time', async () => {
    await expect(server.waitForClientClose(50)).rejects.toThrow(
      /no client closed a response early within 50 ms/,
    );
  });

  it('closes while a response is stalled', async () => {
    server.enqueue({ payloads: [{ a: 1 }], stallAfter: 0 });
    const response = await fetch(`${server.url}/api/chat`, { method: 'POST' });
    const reading = response.text().catch((error: unknown) => error);
    await server.close();
    expect(await reading).toBeInstanceOf(Error);
    expect(server.closedByClient).toBe(0);
    server = await createReplayServer();
  });
});
