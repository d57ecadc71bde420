import { type ChatRequest, createTokenwire } from '@tokenwire/core';
import { collect } from '@tokenwire/testing';
import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { fixture, onlyError, useReplayServer } from './ollama.test-helpers.js';
import { createOllamaAdapter } from './ollama-adapter.js';

// Ollama's own limits, end to end through the real client: each refusal is the stream's single
// `invalid_request` error, naming the field by its path, and nothing reaches the replay server.

const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }];
const image = (part: Record<string, string>) => [
  {
    role: 'user' as const,
    content: [
      { type: 'text' as const, text: 'What is this?' },
      { type: 'image' as const, ...part },
    ],
  },
];

const replay = useReplayServer();

function streamWith(
  fields: Partial<ChatRequest>,
  adapter = createOllamaAdapter({ host: replay.current.url }),
) {
  const tokenwire = createTokenwire({ providers: { ollama: adapter }, retries: 0 });
  return collect(
    tokenwire.stream({ model: 'ollama/llama3.2', messages: [{ role: 'user', content: 'Hi' }], ...fields }),
  );
}

describe('ollama request checks', () => {
  it.each<[string, Partial<ChatRequest>, string, string]>([
    [
      'an http image URL',
      { messages: image({ url: 'https://example.com/cat.png?signature=abc123' }) },
      'messages[0].content[1].url',
      'https://example.com/cat.png',
    ],
    [
      'image data that is not base64',
      { messages: image({ data: '/home/me/cat.png', mediaType: 'image/png' }) },
      'messages[0].content[1].data',
      'must be base64',
    ],
    ['toolChoice required', { tools, toolChoice: 'required' }, 'toolChoice', 'cannot force a tool call'],
    [
      'a thinking budget without an effort',
      { reasoning: { budgetTokens: 2048, includeThoughts: true } },
      'reasoning.budgetTokens',
      'no thinking budget',
    ],
  ])('refuses %s', async (_, fields, path, says) => {
    const error = onlyError(await streamWith(fields));
    expect(error).toMatchObject({ code: 'invalid_request', provider: 'ollama', retryable: false });
    expect(error.message).toContain(`Invalid request: ${path} `);
    expect(error.message).toContain(says);
    expect(replay.current.requests).toEqual([]);
  });

  it('keeps the query string of a refused image URL out of the message', async () => {
    const error = onlyError(
      await streamWith({ messages: image({ url: 'https://example.com/cat.png?signature=abc123' }) }),
    );
    expect(error.message).not.toContain('abc123');
  });

  it('refuses per-request headers through a client passed in, which cannot send them', async () => {
    const adapter = createOllamaAdapter({ client: new Ollama({ host: replay.current.url }) });
    const error = onlyError(await streamWith({ headers: { 'X-Trace': '1' } }, adapter));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('Invalid request: headers ');
    expect(replay.current.requests).toEqual([]);
  });

  it('sends a named toolChoice as that tool alone, and per-request headers through its own client', async () => {
    replay.current.enqueue({ fixture: fixture('ollama-text.ndjson') });
    const events = await streamWith({
      tools: [...tools, { name: 'get_time' }],
      toolChoice: { name: 'get_time' },
      headers: { 'X-Trace': '1' },
    });
    expect(events.at(-1)?.type).toBe('finish');
    const [sent] = replay.current.requests;
    expect((sent?.body as { tools?: unknown } | undefined)?.tools).toEqual([
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(sent?.headers['x-trace']).toBe('1');
  });

  it('sends an effort beside a budget as the think level, and leaves the thoughts out when asked', async () => {
    replay.current.enqueue({ fixture: fixture('ollama-thinking.ndjson') });
    const events = await streamWith({
      model: 'ollama/gpt-oss',
      reasoning: { effort: 'high', budgetTokens: 4096, includeThoughts: false },
    });
    expect(replay.current.requests[0]?.body).toMatchObject({ think: 'high' });
    expect(events.filter((event) => event.type === 'reasoning')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reasoning: '', content: '17 × 23 = 391' });
  });
});
