import { createServer, type Socket } from 'node:net';
import { createTokenwire, type ErrorEvent, type StreamEvent } from '@tokenwire/core';
import { collect, readFixture } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { Ollama } from 'ollama';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOllamaAdapter, type OllamaAdapterSettings } from './ollama-adapter.js';

// Faults, end to end: the real `ollama` client against the loopback replay server.

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const user = (content: string) => [{ role: 'user' as const, content }];
const line = (content: string) => ({
  model: 'llama3.2',
  created_at: '2025-06-10T14:02:11Z',
  message: { role: 'assistant', content },
  done: false,
});
const doneLine = {
  model: 'llama3.2',
  created_at: '2025-06-10T14:02:12Z',
  message: { role: 'assistant', content: '' },
  done_reason: 'stop',
  done: true,
  prompt_eval_count: 5,
  eval_count: 3,
};

const server = useReplayServer({ per: 'file' });
afterEach(() => {
  vi.restoreAllMocks();
});

/** Both transports run every test below; `transport` is the one of the current run. */
let transport: 'sdk' | 'direct' = 'sdk';

function tokenwireWith(settings: OllamaAdapterSettings = {}) {
  return createTokenwire({
    providers: { ollama: createOllamaAdapter({ host: server.url, transport, ...settings }) },
    retries: 0,
  });
}

function errorOf(events: StreamEvent[]): ErrorEvent {
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${JSON.stringify(last)}`);
  return last;
}

/** Silences (and records) the client's `console.warn('invalid json: ', line)`. */
const silenceClientWarnings = () => vi.spyOn(console, 'warn').mockImplementation(() => {});

describe.each(['sdk', 'direct'] as const)('ollama adapter faults (%s transport)', (current) => {
  beforeAll(() => {
    transport = current;
  });
  it('fails with invalid_response on a malformed line instead of skipping it, keeping what came before', async () => {
    const warn = silenceClientWarnings();
    server.enqueue({
      payloads: [line('Hello'), '<html>502 Bad Gateway</html>', line(' world'), doneLine],
      delayMs: 5,
    });
    const error = errorOf(
      await collect(tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('Hi') })),
    );
    expect(error.error).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(error.error.message).toContain('line 2 of the response');
    expect(error.error.message).toContain('is not a JSON object: an HTML page');
    expect(error.partial.content).toBe('Hello');
    // The line is refused before the client parses it: it never gets to skip it.
    expect(warn).not.toHaveBeenCalled();
  });

  it('fails with invalid_response when the malformed line arrives in the same read as the done line', async () => {
    silenceClientWarnings();
    // Shaped like a JSON object, so the body guard lets it through and the client skips it; one
    // write, so one read of the client: only the count at the done line can notice.
    server.enqueue({ payloads: [line('Hello'), `{"model":"llama3.2","mess}\n${JSON.stringify(doneLine)}`] });
    const error = errorOf(
      await collect(tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('Hi') })),
    );
    expect(error.error.code).toBe('invalid_response');
  });

  it('lets blank lines through, as the NDJSON they frame loses nothing', async () => {
    silenceClientWarnings();
    server.enqueue({
      payloads: [line('Hello'), '', line(' world'), doneLine],
      split: { min: 3, max: 9, seed: 1 },
    });
    const events = await collect(tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('Hi') }));
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hello world' });
  });

  it('reports a stream that ends without its done line as truncated (invalid_response)', async () => {
    server.enqueue({ fixture: fixture('ollama-text.ndjson'), endAfter: 2 });
    const error = errorOf(
      await collect(tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('Hi') })),
    );
    expect(error.error.code).toBe('invalid_response');
    expect(error.error.message).toContain('truncated');
    expect(error.partial.content).toBe('The sky');
  });

  it('reports a dropped connection as connection, keeping the partial content', async () => {
    server.enqueue({ fixture: fixture('ollama-text.ndjson'), destroyAfter: 3 });
    const error = errorOf(
      await collect(tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('Hi') })),
    );
    expect(error.error.code).toBe('connection');
    expect(error.partial.content).toBe('The sky is');
  });

  it('reports a missing model as not_found with the ollama pull hint', async () => {
    server.enqueue({ status: 404, errorBody: { error: "model 'llama3.3' not found" } });
    const events = await collect(tokenwireWith().stream({ model: 'ollama/llama3.3', messages: user('Hi') }));
    expect(events).toHaveLength(1);
    expect(errorOf(events).error).toMatchObject({ code: 'not_found', status: 404 });
    expect(errorOf(events).error.message).toContain('ollama pull llama3.3');
  });

  it('retries an HTTP 503 before any content, then streams', async () => {
    server.enqueue({ status: 503 }, { fixture: fixture('ollama-text.ndjson') });
    const tokenwire = createTokenwire({
      providers: { ollama: createOllamaAdapter({ host: server.url, transport }) },
      retries: { maxRetries: 1, initialDelayMs: 1 },
    });
    const events = await collect(tokenwire.stream({ model: 'ollama/llama3.2', messages: user('Hi') }));
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(server.requests).toHaveLength(2);
  });

  it('asks whether Ollama is running when nothing listens at the host', async () => {
    const port = await closedPort();
    const host = `http://127.0.0.1:${port}`;
    const events = await collect(
      createTokenwire({ providers: { ollama: createOllamaAdapter({ host, transport }) }, retries: 0 }).stream(
        {
          model: 'ollama/llama3.2',
          messages: user('Hi'),
        },
      ),
    );
    expect(errorOf(events).error.code).toBe('connection');
    expect(errorOf(events).error.message).toContain(`Is Ollama running at ${host}?`);
  });
});

describe.each(['sdk', 'direct'] as const)('ollama adapter cancellation (%s transport)', (current) => {
  beforeAll(() => {
    transport = current;
  });
  it.each([
    ['a client built by the adapter', () => createOllamaAdapter({ host: server.url, transport })],
    [
      'a client passed in',
      () => createOllamaAdapter({ client: new Ollama({ host: server.url }), transport }),
    ],
  ])(
    'cancels one stream and closes its connection, while another stream of %s goes on',
    async (_, adapter) => {
      const payloads = await readFixture(fixture('ollama-text.ndjson'));
      server.enqueue({ payloads, stallAfter: 2 }, { payloads, delayMs: 20 });
      const tokenwire = createTokenwire({ providers: { ollama: adapter() }, retries: 0 });
      const cancelled = tokenwire.stream({ model: 'ollama/llama3.2', messages: user('one') });
      const seen: StreamEvent[] = [];
      let otherEvents: Promise<StreamEvent[]> | undefined;
      for await (const event of cancelled) {
        seen.push(event);
        // The first request takes the stalling script; the other stream starts once it runs.
        otherEvents ??= collect(tokenwire.stream({ model: 'ollama/llama3.2', messages: user('two') }));
        if (event.type === 'token' && event.accumulatedContent === 'The sky') cancelled.cancel();
      }
      await server.waitForClientClose();
      expect(seen.at(-1)).toMatchObject({ type: 'finish', reason: 'cancelled', content: 'The sky' });
      expect((await otherEvents)?.at(-1)).toMatchObject({
        type: 'finish',
        reason: 'stop',
        content: 'The sky is blue because of Rayleigh scattering.',
      });
      expect(server.closedByClient).toBeGreaterThanOrEqual(1);
    },
  );

  it('leaves no cancelled stream in the ongoing requests of a client passed in', async () => {
    server.enqueue({ fixture: fixture('ollama-text.ndjson'), stallAfter: 1 });
    const client = new Ollama({ host: server.url });
    const tokenwire = createTokenwire({
      providers: { ollama: createOllamaAdapter({ client, transport }) },
      retries: 0,
    });
    for await (const event of tokenwire.stream({ model: 'ollama/llama3.2', messages: user('Hi') })) {
      if (event.type === 'token') break;
    }
    await server.waitForClientClose();
    // ollama-js removes a stream from this protected list only when its done line arrives.
    const ongoing = (client as unknown as { ongoingStreamedRequests: unknown[] }).ongoingStreamedRequests;
    await expect.poll(() => ongoing.length).toBe(0);
  });

  it('closes the connection when the consumer breaks out of the loop', async () => {
    server.enqueue({ fixture: fixture('ollama-text.ndjson'), stallAfter: 1 });
    for await (const event of tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('Hi') })) {
      if (event.type === 'token') break;
    }
    await server.waitForClientClose();
  });

  it('aborts a request still waiting for its response headers (a model that is loading)', async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const tokenwire = createTokenwire({
        providers: { ollama: createOllamaAdapter({ host: silent.url, transport }) },
        retries: 0,
      });
      const events = collect(
        tokenwire.stream({ model: 'ollama/llama3.2', messages: user('Hi'), signal: controller.signal }),
      );
      await silent.connected;
      controller.abort();
      expect((await events).map((event) => event.type)).toEqual(['finish']);
      await silent.closed;
    } finally {
      silent.close();
    }
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A TCP server that accepts one connection and never answers; tells when the client closes it. */
async function silentServer() {
  let onConnected: (socket: Socket) => void = () => {};
  const connected = new Promise<Socket>((resolve) => {
    onConnected = resolve;
  });
  const server = createServer((socket) => onConnected(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const closed = connected.then(
    (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    connected,
    closed,
    close: () => {
      server.close();
      void connected.then((socket) => socket.destroy());
    },
  };
}
