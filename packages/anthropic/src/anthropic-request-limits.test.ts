import { type ChatRequest, createTokenwire, type ErrorEvent } from '@tokenwire/core';
import { collect, TINY_PNG_BASE64 } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import { events } from './anthropic-events.test-helpers.js';

const { messageStart, blockStart, text, blockStop, messageDelta, messageStop } = events;
const helloPayloads = [
  messageStart(),
  blockStart(0, { type: 'text', text: '' }),
  text(0, 'Hello'),
  blockStop(0),
  messageDelta('end_turn', { output_tokens: 1 }),
  messageStop(),
];

const server = useReplayServer();

type RequestFields = Partial<Omit<ChatRequest, 'model'>>;
const weather = { name: 'get_weather', parameters: { type: 'object' as const, properties: {} } };
const thinking = { budgetTokens: 2048 };
// The API version that still takes temperature and top_p (the SDK's own, 2026-10-21, removed them).
const olderApi = { headers: { 'anthropic-version': '2023-06-01' } };
const image = (part: Record<string, string>): RequestFields => ({
  messages: [{ role: 'user', content: [{ type: 'image', ...part }] }],
});

function send(fields: RequestFields) {
  const tokenwire = createTokenwire({
    providers: { anthropic: createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key' }) },
    retries: 0,
  });
  return collect(
    tokenwire.stream({
      model: 'anthropic/claude-test-1',
      messages: [{ role: 'user', content: 'Hi' }],
      ...fields,
    }),
  );
}

async function bodyOf(fields: RequestFields): Promise<Record<string, unknown>> {
  server.enqueue({ payloads: helloPayloads });
  const result = await send(fields);
  expect(result.at(-1)).toMatchObject({ type: 'finish' });
  return server.requests[0]?.body as Record<string, unknown>;
}

const refusals: Array<{ rule: string; request: RequestFields; path: string; says: string }> = [
  {
    rule: 'temperature on the SDK’s API version',
    request: { temperature: 0.5 },
    path: 'temperature',
    says: 'version 2026-10-21 (the one @anthropic-ai/sdk 1.x sends), which removed temperature and top_p',
  },
  {
    rule: 'topP on the SDK’s API version',
    request: { topP: 0.5 },
    path: 'topP',
    says: "'anthropic-version': '2023-06-01'",
  },
  {
    rule: 'temperature above 1',
    request: { temperature: 1.5, ...olderApi },
    path: 'temperature',
    says: 'from 0 to 1',
  },
  { rule: 'a seed', request: { seed: 7 }, path: 'seed', says: 'no seed parameter' },
  {
    rule: 'a thinking budget below 1024',
    request: { reasoning: { budgetTokens: 500 } },
    path: 'reasoning.budgetTokens',
    says: 'at least 1024',
  },
  {
    rule: 'a thinking budget not below maxTokens',
    request: { reasoning: { budgetTokens: 2048 }, maxTokens: 2048 },
    path: 'reasoning.budgetTokens',
    says: 'less than maxTokens (2048)',
  },
  {
    rule: 'includeThoughts without a thinking budget',
    request: { reasoning: { effort: 'high', includeThoughts: true } },
    path: 'reasoning.includeThoughts',
    says: 'needs reasoning.budgetTokens',
  },
  {
    rule: 'includeThoughts with thinking off',
    request: { reasoning: { budgetTokens: 0, includeThoughts: true } },
    path: 'reasoning.includeThoughts',
    says: 'thinking off',
  },
  {
    rule: 'a temperature other than 1 with thinking',
    request: { temperature: 0.5, reasoning: thinking, ...olderApi },
    path: 'temperature',
    says: 'must be 1 or unset while extended thinking is on',
  },
  {
    rule: 'a topP below 0.95 with thinking',
    request: { topP: 0.9, reasoning: thinking, ...olderApi },
    path: 'topP',
    says: 'from 0.95 to 1 while extended thinking is on',
  },
  {
    rule: 'forced tool use with thinking',
    request: { tools: [weather], toolChoice: 'required', reasoning: thinking },
    path: 'toolChoice',
    says: 'does not force tool use with thinking',
  },
  {
    rule: 'a named tool choice with thinking',
    request: { tools: [weather], toolChoice: { name: 'get_weather' }, reasoning: thinking },
    path: 'toolChoice',
    says: "must be 'auto' or 'none'",
  },
  {
    rule: 'base64 image data of a type Anthropic does not read',
    request: image({ data: 'Qk0=', mediaType: 'image/bmp' }),
    path: 'messages[0].content[0].mediaType',
    says: 'image/jpeg, image/png, image/gif, image/webp',
  },
  {
    rule: 'a data URL of a type Anthropic does not read',
    request: image({ url: 'data:image/tiff;base64,SUkq' }),
    path: 'messages[0].content[0].url',
    says: 'image/jpeg, image/png, image/gif, image/webp',
  },
];

describe('Anthropic request limits', () => {
  it.each(refusals)('refuses $rule before sending, naming $path', async ({ request, path, says }) => {
    const last = (await send(request)).at(-1) as ErrorEvent;
    expect([last.type, last.error.code, last.error.retryable, last.error.provider]).toEqual([
      'error',
      'invalid_request',
      false,
      'anthropic',
    ]);
    expect(last.error.message).toContain(`Invalid request: ${path} `);
    expect(last.error.message).toContain(says);
    expect(server.requests).toEqual([]);
  });

  it('leaves base64 data without a media type to core, which refuses it before sending', async () => {
    const last = (await send(image({ data: TINY_PNG_BASE64 }))).at(-1) as ErrorEvent;
    expect([last.error.code, last.error.message]).toEqual([
      'invalid_request',
      expect.stringContaining('messages[0].content[0].mediaType'),
    ]);
    expect(server.requests).toEqual([]);
  });

  it('sends what the API takes with thinking: temperature 1, topP 0.95 and tool choice auto', async () => {
    const body = await bodyOf({
      temperature: 1,
      topP: 0.95,
      ...olderApi,
      tools: [weather],
      toolChoice: 'auto',
      reasoning: { budgetTokens: 1024, includeThoughts: true },
    });
    expect(body).toMatchObject({
      temperature: 1,
      top_p: 0.95,
      tool_choice: { type: 'auto' },
      thinking: { type: 'enabled', budget_tokens: 1024, display: 'summarized' },
      max_tokens: 4096 + 1024,
    });
  });

  it('sends temperature and top_p without thinking, and effort as output_config.effort', async () => {
    const body = await bodyOf({ temperature: 0, topP: 0.5, reasoning: { effort: 'minimal' }, ...olderApi });
    expect(body).toMatchObject({ temperature: 0, top_p: 0.5, output_config: { effort: 'low' } });
    expect(server.requests[0]?.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('sends a history tool call with malformed arguments as an empty input object', async () => {
    const body = await bodyOf({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city": "Par' }],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: 'unknown city' },
      ],
      tools: [weather],
    });
    expect((body.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }],
    });
  });
});
