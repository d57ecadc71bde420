import { createTokenwire, type ErrorEvent, type StreamEvent, type StreamRequest } from '@tokenwire/core';
import { collect, openaiChatScenarios, openaiResponsesScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOpenAIAdapter } from './openai-adapter.js';
import type { OpenAIAdapterSettings } from './openai-settings.js';

const server = useReplayServer();
afterEach(() => {
  vi.unstubAllEnvs();
});

function settingsFor(overrides: Record<string, unknown> = {}): OpenAIAdapterSettings {
  return { apiKey: 'sk-test-key-1234', baseURL: `${server.url}/v1`, ...overrides } as OpenAIAdapterSettings;
}

function run(
  settings: OpenAIAdapterSettings,
  request: Partial<StreamRequest> = {},
  provider = 'openai',
): Promise<StreamEvent[]> {
  const adapter = createOpenAIAdapter({ provider, ...settings });
  const tokenwire = createTokenwire({ providers: { [provider]: adapter }, retries: 0 });
  return collect(
    tokenwire.stream({
      model: `${provider}/test-model`,
      messages: [{ role: 'user', content: 'Hello' }],
      ...request,
    }),
  );
}

function onlyError(events: StreamEvent[]): { code: string; message: string } {
  expect(events.map((event) => event.type)).toEqual(['error']);
  const { error } = events[0] as ErrorEvent;
  return { code: error.code, message: error.message };
}

describe('settings problems: a configuration error on the first request, nothing sent', () => {
  it.each([
    {
      title: 'an unknown setting, with the closest known one',
      settings: { baseUrl: 'http://x' },
      says: /did you mean baseURL\?/i,
    },
    {
      title: 'a setting of the wrong kind',
      settings: { timeout: '30s' },
      says: /timeout .*must be a finite number/,
    },
    {
      title: 'a baseURL that is not a URL',
      settings: { baseURL: 'localhost:8000' },
      says: /baseURL .*absolute http\(s\) URL/,
    },
    {
      title: 'an unknown quirk',
      settings: { quirks: { streamOption: false } },
      says: /quirks\.streamOption .*not a known quirk/,
    },
    {
      title: 'a quirk of the wrong kind',
      settings: { quirks: { maxTokensField: 'max' } },
      says: /quirks\.maxTokensField .*max_tokens, max_completion_tokens/,
    },
  ])('$title', async ({ settings, says }) => {
    expect(() => createOpenAIAdapter(settingsFor(settings))).not.toThrow();
    const error = onlyError(await run(settingsFor(settings)));
    expect(error.code).toBe('configuration');
    expect(error.message).toMatch(says);
    expect(server.requests).toEqual([]);
  });

  it('reports a missing key naming OPENAI_API_KEY', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const settings = { baseURL: `${server.url}/v1` };
    expect(() => createOpenAIAdapter(settings)).not.toThrow();
    const error = onlyError(await run(settings));
    expect(error.code).toBe('configuration');
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(server.requests).toEqual([]);
  });

  it('lets adapter.client throw the same configuration error', () => {
    const adapter = createOpenAIAdapter(settingsFor({ baseUrl: 'http://x' }));
    expect(() => adapter.client).toThrow(expect.objectContaining({ code: 'configuration' }));
  });
});

describe('provider limits: invalid_request before sending', () => {
  it.each([
    {
      title: 'stop on the Responses API',
      settings: { api: 'responses' },
      request: { stop: ['END'] },
      path: 'stop',
      says: 'Responses API',
    },
    {
      title: 'seed on the Responses API',
      settings: { api: 'responses' },
      request: { seed: 7 },
      path: 'seed',
      says: 'Responses API',
    },
    {
      title: 'a reasoning budget without an effort',
      settings: {},
      request: { reasoning: { budgetTokens: 2048 } },
      path: 'reasoning.budgetTokens',
      says: 'reasoning.effort',
    },
    {
      title: 'temperature on an o-series model',
      settings: {},
      request: { model: 'openai/o3-mini', temperature: 0.2 },
      path: 'temperature',
      says: 'o-series',
    },
    {
      title: 'topP on a gpt-5 model (Responses)',
      settings: { api: 'responses' },
      request: { model: 'openai/gpt-5-mini', topP: 0.9 },
      path: 'topP',
      says: 'gpt-5',
    },
    {
      title: 'temperature on gpt-5.1 with an effort',
      settings: {},
      request: { model: 'openai/gpt-5.1', temperature: 0.5, reasoning: { effort: 'low' } },
      path: 'temperature',
      says: 'gpt-5.1',
    },
  ] as const)('refuses $title', async ({ settings, request, path, says }) => {
    const error = onlyError(await run(settingsFor(settings), request as Partial<StreamRequest>));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain(`Invalid request: ${path} `);
    expect(error.message).toContain(says);
    expect(server.requests).toEqual([]);
  });

  it('checks an Azure deployment named after a reasoning model', async () => {
    const error = onlyError(
      await run({ apiKey: 'azure-key-123456' }, { model: 'azure/o4-mini', temperature: 0.3 }, 'azure'),
    );
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(error.message).toContain('temperature');
    expect(server.requests).toEqual([]);
  });

  it.each([
    { title: 'gpt-5-chat-latest', model: 'gpt-5-chat-latest', provider: 'openai' },
    { title: 'gpt-5.1 without an effort', model: 'gpt-5.1', provider: 'openai' },
    { title: 'a compatible service, whatever the model', model: 'o3', provider: 'deepseek' },
  ])('sends temperature and topP to $title', async ({ model, provider }) => {
    server.enqueue({ payloads: openaiChatScenarios.text.payloads });
    const events = await run(
      settingsFor(),
      { model: `${provider}/${model}`, temperature: 0.2, topP: 0.9 },
      provider,
    );
    expect(events.at(-1)?.type).toBe('finish');
    expect(server.requests[0]?.body).toMatchObject({ model, temperature: 0.2, top_p: 0.9 });
  });

  it('sends the effort and leaves the budget to other providers when both are given', async () => {
    server.enqueue({ payloads: openaiChatScenarios.text.payloads });
    await run(settingsFor(), { reasoning: { effort: 'high', budgetTokens: 2048 } });
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.reasoning_effort).toBe('high');
    expect(JSON.stringify(body)).not.toContain('2048');
  });
});

describe('history tool calls whose arguments are not a JSON object', () => {
  const messages: StreamRequest['messages'] = [
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: null,
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Par' }],
    },
    { role: 'tool', toolCallId: 'call_1', content: 'unknown city' },
  ];

  it('sends them as {} to Chat Completions', async () => {
    server.enqueue({ payloads: openaiChatScenarios.text.payloads });
    await run(settingsFor(), { messages });
    const body = server.requests[0]?.body as { messages: Array<{ tool_calls?: unknown }> };
    expect(body.messages[1]?.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
    ]);
  });

  it('sends them as {} to the Responses API', async () => {
    server.enqueue({ payloads: openaiResponsesScenarios.text.payloads });
    await run(settingsFor({ api: 'responses' }), { messages });
    const body = server.requests[0]?.body as { input: unknown[] };
    expect(body.input[1]).toEqual({
      type: 'function_call',
      call_id: 'call_1',
      name: 'get_weather',
      arguments: '{}',
    });
  });
});
