import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenwire, type FinishEvent, type StreamEvent } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { collect, findInvariantViolations } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { Ollama } from 'ollama';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as ollamaPackage from './index.js';
import { createOllamaAdapter, type OllamaAdapterSettings } from './ollama-adapter.js';

// End to end: the real `ollama` client, through this adapter and the tokenwire runtime, against
// the loopback replay server that writes the fixtures as NDJSON.

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);
const user = (content: string) => [{ role: 'user' as const, content }];

const server = useReplayServer({ per: 'file' });
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Both transports run every test below; `transport` is the one of the current run. */
let transport: 'sdk' | 'direct' = 'sdk';

function tokenwireWith(settings: OllamaAdapterSettings = {}) {
  return createTokenwire({
    providers: { ollama: createOllamaAdapter({ host: server.url, transport, ...settings }) },
    retries: 0,
  });
}

/** Collects the events and checks DESIGN.md's invariants on them. */
async function collectChecked(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events = await collect(stream);
  expect(findInvariantViolations(events)).toEqual([]);
  return events;
}

function finishOf(events: StreamEvent[]): FinishEvent {
  const last = events.at(-1);
  if (last?.type !== 'finish') throw new Error(`expected a finish event, got ${JSON.stringify(last)}`);
  return last;
}

describe.each(['sdk', 'direct'] as const)(
  'ollama adapter over the real client: fixtures (%s transport)',
  (current) => {
    beforeAll(() => {
      transport = current;
    });
    it('streams text and reports the exact usage of the done line', async () => {
      server.enqueue({ fixture: fixture('ollama-text.ndjson') });
      const events = await collectChecked(
        tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('Why?') }),
      );
      expect(events[0]).toEqual({ type: 'start', provider: 'ollama', model: 'llama3.2' });
      expect(events.filter((event) => event.type === 'token').map((event) => event.content)).toEqual([
        'The',
        ' sky',
        ' is',
        ' blue',
        ' because of Rayleigh scattering.',
      ]);
      expect(finishOf(events)).toMatchObject({
        reason: 'stop',
        rawReason: 'stop',
        content: 'The sky is blue because of Rayleigh scattering.',
        usage: { inputTokens: 31, outputTokens: 10, totalTokens: 41, estimated: false },
      });
    });

    it('streams thinking as reasoning, then the answer', async () => {
      server.enqueue({ fixture: fixture('ollama-thinking.ndjson') });
      const events = await collectChecked(
        tokenwireWith().stream({ model: 'ollama/qwen3', messages: user('17 × 23?'), reasoning: {} }),
      );
      expect(events.map((event) => event.type)).toEqual([
        'start',
        'reasoning',
        'reasoning',
        'reasoning',
        'token',
        'token',
        'finish',
      ]);
      expect(finishOf(events)).toMatchObject({
        reasoning: 'Okay, 17 times 23 is 340 plus 51, so 391.',
        content: '17 × 23 = 391',
      });
    });

    it('completes a tool call sent on an intermediate line, with a generated id and finish reason tool_calls', async () => {
      server.enqueue({ fixture: fixture('ollama-tool-call.ndjson') });
      const events = await collectChecked(
        tokenwireWith().stream({ model: 'ollama/qwen3', messages: user('Weather?') }),
      );
      const completes = events.filter((event) => event.type === 'tool_call_complete');
      expect(completes).toEqual([
        {
          type: 'tool_call_complete',
          index: 0,
          id: expect.stringMatching(/^call_/),
          name: 'get_current_weather',
          arguments: '{"format":"celsius","location":"Toronto"}',
          input: { format: 'celsius', location: 'Toronto' },
        },
      ]);
      expect(finishOf(events)).toMatchObject({ reason: 'tool_calls', rawReason: 'stop' });
    });

    it('completes two tool calls sent on the done line, keeping the server ids', async () => {
      server.enqueue({ fixture: fixture('ollama-parallel-tool-calls.ndjson') });
      const events = await collectChecked(
        tokenwireWith().stream({ model: 'ollama/llama3.1', messages: user('Weather?') }),
      );
      expect(finishOf(events).toolCalls).toEqual([
        {
          id: 'call_k3x9q2vd',
          name: 'get_current_weather',
          arguments: '{"format":"celsius","location":"Paris, FR"}',
          input: { format: 'celsius', location: 'Paris, FR' },
        },
        {
          id: 'call_7wm1c0ta',
          name: 'get_current_weather',
          arguments: '{"format":"celsius","location":"Tokyo, JP"}',
          input: { format: 'celsius', location: 'Tokyo, JP' },
        },
      ]);
      expect(finishOf(events).reason).toBe('tool_calls');
    });

    it('ends with a server error that keeps the partial content when an error line arrives', async () => {
      server.enqueue({ fixture: fixture('ollama-error.ndjson') });
      const events = await collectChecked(
        tokenwireWith().stream({ model: 'ollama/llama3.2', messages: user('A story') }),
      );
      const last = events.at(-1);
      expect(last?.type).toBe('error');
      if (last?.type !== 'error') return;
      expect(last.error.code).toBe('server');
      expect(last.error.message).toContain('unexpected EOF');
      expect(last.partial.content).toBe('Once upon a time');
    });

    it('reassembles the same events when the bytes arrive in random pieces, also inside UTF-8 characters', async () => {
      server.enqueue({ fixture: fixture('ollama-thinking.ndjson'), split: { min: 1, max: 7, seed: 3 } });
      const events = await collectChecked(
        tokenwireWith().stream({ model: 'ollama/qwen3', messages: user('17 × 23?') }),
      );
      expect(finishOf(events)).toMatchObject({
        reasoning: 'Okay, 17 times 23 is 340 plus 51, so 391.',
        content: '17 × 23 = 391',
      });
    });
  },
);

describe.each(['sdk', 'direct'] as const)(
  'ollama adapter over the real client: the request (%s transport)',
  (current) => {
    beforeAll(() => {
      transport = current;
    });
    it('sends the mapped request to /api/chat with keep_alive and the configured headers', async () => {
      server.enqueue({ fixture: fixture('ollama-text.ndjson') });
      const tokenwire = tokenwireWith({ keepAlive: '10m', headers: { 'X-Team': 'search' } });
      await collectChecked(
        tokenwire.stream({
          model: 'ollama/llama3.2',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hi' },
          ],
          temperature: 0,
          maxTokens: 64,
          reasoning: { effort: 'low' },
          responseFormat: { type: 'json' },
          headers: { 'X-Request': 'r1' },
        }),
      );
      const [request] = server.requests;
      expect(request?.path).toBe('/api/chat');
      expect(request?.headers).toMatchObject({ 'x-team': 'search', 'x-request': 'r1' });
      expect(request?.body).toEqual({
        model: 'llama3.2',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        stream: true,
        format: 'json',
        think: 'low',
        options: { temperature: 0, num_predict: 64 },
        keep_alive: '10m',
      });
    });

    it('sends base64 images unchanged, and never reads a file whose path is passed as image data', async () => {
      // Letters, digits and '/' only, so the path passes as base64 and reaches the client.
      const directory = await mkdtemp(join(tmpdir(), 'tokenwireollama'));
      const secret = join(directory, 'secret');
      await writeFile(secret, 'do not send me');
      try {
        server.enqueue({ fixture: fixture('ollama-text.ndjson') });
        await collectChecked(
          tokenwireWith().stream({
            model: 'ollama/llava',
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'text', text: 'What is this?' },
                  { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
                  { type: 'image', data: secret, mediaType: 'image/png' },
                ],
              },
            ],
          }),
        );
        const body = server.requests[0]?.body as { messages: Array<{ images: string[] }> };
        const images = body.messages[0]?.images ?? [];
        expect(images[0]).toBe('iVBORw0KGgo=');
        expect(images[1]).not.toBe(Buffer.from('do not send me').toString('base64'));
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });

    it('sends a history tool call whose arguments are not JSON with arguments {}, as every provider does', async () => {
      server.enqueue({ fixture: fixture('ollama-text.ndjson') });
      await collectChecked(
        tokenwireWith().stream({
          model: 'ollama/qwen3',
          messages: [
            { role: 'user', content: 'Weather in Paris?' },
            {
              role: 'assistant',
              content: null,
              toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Par' }],
            },
            { role: 'tool', toolCallId: 'call_1', content: '18°C' },
          ],
        }),
      );
      const body = server.requests[0]?.body as { messages: unknown[] };
      expect(body.messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'call_1', function: { name: 'get_weather', arguments: {} } }],
        },
        { role: 'tool', content: '18°C', tool_name: 'get_weather', tool_call_id: 'call_1' },
      ]);
    });

    it('defaults the host to OLLAMA_HOST', async () => {
      vi.stubEnv('OLLAMA_HOST', server.url);
      server.enqueue({ fixture: fixture('ollama-text.ndjson') });
      const adapter = createOllamaAdapter({ transport });
      expect(adapter.host).toBe(server.url);
      const tokenwire = createTokenwire({ providers: { ollama: adapter }, retries: 0 });
      expect(
        finishOf(await collectChecked(tokenwire.stream({ model: 'ollama/llama3.2', messages: user('Hi') })))
          .reason,
      ).toBe('stop');
    });

    it('is loaded from configuration through createAdapter, with apiKey sent as a bearer token', async () => {
      server.enqueue({ fixture: fixture('ollama-text.ndjson') });
      const tokenwire = createTokenwire({
        providers: { ollama: { baseURL: server.url, apiKey: 'ollama-test-key', keepAlive: 0, transport } },
        retries: 0,
        loadModule: async (name) => {
          expect(name).toBe('@tokenwire/ollama');
          return ollamaPackage;
        },
      });
      const events = await collectChecked(
        tokenwire.stream({ model: 'ollama/llama3.2', messages: user('Hi') }),
      );
      expect(finishOf(events).content).toBe('The sky is blue because of Rayleigh scattering.');
      expect(server.requests[0]?.headers.authorization).toBe('Bearer ollama-test-key');
      expect(server.requests[0]?.body).toMatchObject({ keep_alive: 0 });
    });
  },
);

describe.each(['sdk', 'direct'] as const)('ollama adapter construction (%s transport)', (current) => {
  beforeAll(() => {
    transport = current;
  });
  it('yields the same deltas from stream() for callers that use the adapter without the runtime', async () => {
    server.enqueue({ fixture: fixture('ollama-parallel-tool-calls.ndjson') });
    const adapter = createOllamaAdapter({ host: server.url, transport });
    const deltas: AdapterDelta[] = [];
    const request = { model: 'llama3.1', messages: user('Weather?') };
    for await (const delta of adapter.stream(request, { signal: new AbortController().signal }))
      deltas.push(delta);
    expect(deltas.map((delta) => delta.type)).toEqual([
      'start',
      'tool_call',
      'tool_call_end',
      'tool_call',
      'tool_call_end',
      'usage',
      'finish',
    ]);
  });

  it('exposes a client passed in as is, and builds its own client once, on first access', () => {
    const client = new Ollama({ host: server.url });
    expect(createOllamaAdapter({ client, transport }).client).toBe(client);
    const adapter = createOllamaAdapter({ host: server.url, transport });
    expect(adapter.client).toBeInstanceOf(Ollama);
    expect(adapter.client).toBe(adapter.client);
  });
});
