import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { type Adapter, createTokenwire, type ErrorEvent, type FinishEvent } from '@tokenwire/core';
import { createGoogleAdapter } from '@tokenwire/google';
import { createOllamaAdapter } from '@tokenwire/ollama';
import { createOpenAIAdapter } from '@tokenwire/openai';
import { createReplayServer, type ReplayServer, scriptedReply } from '@tokenwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The testing kit as a fake provider for an app: one scripted reply, played on every wire through
// the real vendor SDKs, reads back as the same finish, answered by the model the request named.

const key = 'test-key-scripted-reply';
const wires: Array<[string, (url: string) => Adapter, string]> = [
  ['openai chat', (url) => createOpenAIAdapter({ apiKey: key, baseURL: `${url}/v1` }), 'gpt-4.1-mini'],
  [
    'openai responses',
    (url) => createOpenAIAdapter({ apiKey: key, baseURL: `${url}/v1`, api: 'responses' }),
    'gpt-5',
  ],
  ['anthropic', (url) => createAnthropicAdapter({ apiKey: key, baseURL: url }), 'claude-sonnet-4-6'],
  ['gemini', (url) => createGoogleAdapter({ apiKey: key, baseURL: url }), 'gemini-2.5-flash'],
  ['ollama', (url) => createOllamaAdapter({ host: url }), 'qwen3'],
];

let replay: ReplayServer;
beforeAll(async () => {
  replay = await createReplayServer();
});
afterAll(() => replay.close());

async function ask(adapter: Adapter, model: string) {
  const tokenwire = createTokenwire({ providers: { fake: adapter }, retries: 0 });
  const events = [];
  for await (const event of tokenwire.stream({
    model: `fake/${model}`,
    messages: [{ role: 'user', content: 'Hi' }],
  }))
    events.push(event);
  return events;
}

describe.each(wires)('scriptedReply on %s', (_name, adapterOf, model) => {
  it('streams the reasoning, text, tool call and usage, as the model asked for', async () => {
    replay.enqueue(
      scriptedReply({
        reasoning: 'The user greets me.',
        text: 'Hello there, friend.',
        toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"friend"}' }],
        usage: { inputTokens: 11, outputTokens: 7 },
      }),
    );
    const finish = (await ask(adapterOf(replay.url), model)).at(-1) as FinishEvent;
    expect(finish).toMatchObject({
      type: 'finish',
      reason: 'tool_calls',
      content: 'Hello there, friend.',
      reasoning: 'The user greets me.',
      model,
      usage: { inputTokens: 11, outputTokens: 7 },
    });
    expect(finish.toolCalls).toMatchObject([{ name: 'lookup', input: { q: 'friend' } }]);
  });

  it('ends with the error a reply scripts, after what arrived', async () => {
    replay.enqueue(scriptedReply({ text: 'Partial answer', error: { message: 'The model is overloaded.' } }));
    const last = (await ask(adapterOf(replay.url), model)).at(-1) as ErrorEvent;
    expect(last.type).toBe('error');
    expect(last.error.message).toContain('The model is overloaded.');
    expect(last.partial.content).toBe('Partial answer');
  });
});
