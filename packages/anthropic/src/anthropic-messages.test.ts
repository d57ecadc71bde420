import type { ChatRequest, Message } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toAnthropicParams } from './anthropic-messages.js';

const request = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-test-1',
  messages,
  ...extra,
});

describe('toAnthropicParams', () => {
  it('sends the model, the default max_tokens and stream: true', () => {
    expect(toAnthropicParams(request([{ role: 'user', content: 'Hi' }]))).toEqual({
      model: 'claude-test-1',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
  });

  it('moves system messages to the top-level system, as text blocks when there are several', () => {
    const one = toAnthropicParams(
      request([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ]),
    );
    expect(one.system).toBe('Be brief.');
    const two = toAnthropicParams(
      request([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Answer in French.' },
      ]),
    );
    expect(two.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    expect(two.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('merges consecutive messages of the same role', () => {
    const params = toAnthropicParams(
      request([
        { role: 'user', content: 'First.' },
        { role: 'user', content: [{ type: 'text', text: 'Second.' }] },
        { role: 'assistant', content: 'Reply.' },
        { role: 'assistant', content: 'More.' },
      ]),
    );
    expect(params.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'First.' },
          { type: 'text', text: 'Second.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reply.' },
          { type: 'text', text: 'More.' },
        ],
      },
    ]);
  });

  it('maps a tool conversation: reasoning first, tool_use with parsed input, tool_result in a user turn', () => {
    const params = toAnthropicParams(
      request([
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: 'Checking.',
          reasoning: [
            { text: 'Two cities.', signature: 'sig-1' },
            { text: '', redactedData: 'opaque-data' },
            { text: 'from another provider, unsigned' },
          ],
          toolCalls: [
            { id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}' },
            { id: 'toolu_2', name: 'weather', arguments: 'ignored', input: { city: 'Rome' } },
            { id: 'toolu_3', name: 'now', arguments: '' },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: '18°C' },
        { role: 'tool', toolCallId: 'toolu_2', content: 'timeout', isError: true },
        { role: 'tool', toolCallId: 'toolu_3', content: '' },
        { role: 'user', content: 'Thanks!' },
      ]),
    );
    expect(params.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Two cities.', signature: 'sig-1' },
          { type: 'redacted_thinking', data: 'opaque-data' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
          { type: 'tool_use', id: 'toolu_3', name: 'now', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'timeout', is_error: true },
          { type: 'tool_result', tool_use_id: 'toolu_3' },
          { type: 'text', text: 'Thanks!' },
        ],
      },
    ]);
  });

  it('puts tool results before user text that came first, as the API requires', () => {
    const params = toAnthropicParams(
      request([
        { role: 'assistant', toolCalls: [{ id: 'toolu_1', name: 'f', arguments: '{}' }] },
        { role: 'user', content: 'Also:' },
        { role: 'tool', toolCallId: 'toolu_1', content: 'ok' },
      ]),
    );
    expect(params.messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' },
        { type: 'text', text: 'Also:' },
      ],
    });
  });

  it('sends malformed tool-call arguments from the history as an empty input object', () => {
    const params = toAnthropicParams(
      request([{ role: 'assistant', toolCalls: [{ id: 'toolu_1', name: 'f', arguments: '{"broken' }] }]),
    );
    expect(params.messages[0]?.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }]);
  });

  it('leaves out empty assistant messages and empty text', () => {
    const params = toAnthropicParams(
      request([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: '' },
        { role: 'assistant', content: null },
        { role: 'user', content: [{ type: 'text', text: '' }] },
      ]),
    );
    expect(params.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('maps images given by https URL, data URL and base64 data', () => {
    const params = toAnthropicParams(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare:' },
            { type: 'image', url: 'https://example.com/a.png' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/AAA=' },
            { type: 'image', data: 'iVBORw0=', mediaType: 'image/png' },
          ],
        },
      ]),
    );
    expect(params.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare:' },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/AAA=' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0=' } },
    ]);
  });

  it('maps tools to input_schema and every tool choice', () => {
    const tools: ChatRequest['tools'] = [
      {
        name: 'weather',
        description: 'Current weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        strict: true,
      },
      { name: 'now' },
    ];
    const params = toAnthropicParams(
      request([{ role: 'user', content: 'Hi' }], { tools, toolChoice: 'auto' }),
    );
    expect(params.tools).toEqual([
      {
        name: 'weather',
        description: 'Current weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        strict: true,
      },
      { name: 'now', input_schema: { type: 'object' } },
    ]);
    const choiceOf = (toolChoice: ChatRequest['toolChoice']) =>
      toAnthropicParams(request([{ role: 'user', content: 'Hi' }], { tools, toolChoice })).tool_choice;
    expect([choiceOf('auto'), choiceOf('required'), choiceOf('none'), choiceOf({ name: 'now' })]).toEqual([
      { type: 'auto' },
      { type: 'any' },
      { type: 'none' },
      { type: 'tool', name: 'now' },
    ]);
  });

  it('sends no tool_choice without tools (the API rejects it)', () => {
    const params = toAnthropicParams(request([{ role: 'user', content: 'Hi' }], { toolChoice: 'required' }));
    expect(params.tool_choice).toBeUndefined();
  });

  it('maps maxTokens, stop sequences and a JSON schema response format', () => {
    const params = toAnthropicParams(
      request([{ role: 'user', content: 'Hi' }], {
        maxTokens: 100,
        stop: ['END'],
        responseFormat: { type: 'json_schema', schema: { type: 'object' } },
      }),
    );
    expect(params).toMatchObject({
      max_tokens: 100,
      stop_sequences: ['END'],
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
  });

  it('enables thinking with the budget and leaves room for the answer in the default max_tokens', () => {
    const params = toAnthropicParams(
      request([{ role: 'user', content: 'Hi' }], { reasoning: { budgetTokens: 2048 } }),
    );
    expect({ thinking: params.thinking, max_tokens: params.max_tokens }).toEqual({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      max_tokens: 4096 + 2048,
    });
    const custom = toAnthropicParams(request([{ role: 'user', content: 'Hi' }]), { defaultMaxTokens: 1000 });
    expect(custom.max_tokens).toBe(1000);
  });

  it('maps temperature and topP to temperature and top_p, and sends no seed', () => {
    const params = toAnthropicParams(
      request([{ role: 'user', content: 'Hi' }], { temperature: 0.1, topP: 0.9 }),
    );
    expect([params.temperature, params.top_p, 'seed' in params]).toEqual([0.1, 0.9, false]);
  });

  it('maps reasoning.effort to output_config.effort, minimal as low, beside a JSON schema format', () => {
    const effortOf = (effort: NonNullable<ChatRequest['reasoning']>['effort']) =>
      toAnthropicParams(request([{ role: 'user', content: 'Hi' }], { reasoning: { effort } })).output_config;
    expect([effortOf('minimal'), effortOf('low'), effortOf('medium'), effortOf('high')]).toEqual([
      { effort: 'low' },
      { effort: 'low' },
      { effort: 'medium' },
      { effort: 'high' },
    ]);
    const both = toAnthropicParams(
      request([{ role: 'user', content: 'Hi' }], {
        reasoning: { effort: 'high' },
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } },
      }),
    );
    expect(both.output_config).toEqual({
      effort: 'high',
      format: { type: 'json_schema', schema: { type: 'object' } },
    });
  });

  it('maps includeThoughts to the thinking display, and a zero budget to thinking disabled', () => {
    const thinkingOf = (reasoning: ChatRequest['reasoning']) =>
      toAnthropicParams(request([{ role: 'user', content: 'Hi' }], { reasoning })).thinking;
    expect([
      thinkingOf({ budgetTokens: 1024, includeThoughts: true }),
      thinkingOf({ budgetTokens: 1024, includeThoughts: false }),
      thinkingOf({ budgetTokens: 0 }),
      thinkingOf({ effort: 'low' }),
    ]).toEqual([
      { type: 'enabled', budget_tokens: 1024, display: 'summarized' },
      { type: 'enabled', budget_tokens: 1024, display: 'omitted' },
      { type: 'disabled' },
      undefined,
    ]);
    const off = toAnthropicParams(
      request([{ role: 'user', content: 'Hi' }], { reasoning: { budgetTokens: 0 } }),
    );
    expect(off.max_tokens).toBe(4096);
  });
});

describe('toAnthropicParams with providerOptions.anthropic', () => {
  const tools: ChatRequest['tools'] = [{ name: 'a' }, { name: 'b' }];

  it('places prompt-caching breakpoints on the system prompt, the last tool and the last message', () => {
    const params = toAnthropicParams(
      request(
        [
          { role: 'system', content: 'Long instructions.' },
          { role: 'user', content: 'Question?' },
        ],
        {
          tools,
          providerOptions: { anthropic: { cacheControl: { system: true, tools: '1h', lastMessage: true } } },
        },
      ),
    );
    expect(params.system).toEqual([
      { type: 'text', text: 'Long instructions.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(params.tools?.at(-1)).toEqual({
      name: 'b',
      input_schema: { type: 'object' },
      cache_control: { type: 'ephemeral', ttl: '1h' },
    });
    expect(params.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Question?', cache_control: { type: 'ephemeral' } }] },
    ]);
    expect((params as unknown as Record<string, unknown>).cacheControl).toBeUndefined();
  });

  it('skips thinking blocks when marking the last message', () => {
    const params = toAnthropicParams(
      request([{ role: 'assistant', content: 'Answer.', reasoning: [{ text: 'Hmm.', signature: 'sig' }] }], {
        providerOptions: { anthropic: { cacheControl: { lastMessage: '5m' } } },
      }),
    );
    expect(params.messages[0]?.content).toEqual([
      { type: 'thinking', thinking: 'Hmm.', signature: 'sig' },
      { type: 'text', text: 'Answer.', cache_control: { type: 'ephemeral', ttl: '5m' } },
    ]);
  });

  it('passes other keys through as body parameters that win over the mapped ones, keeping stream: true', () => {
    const params = toAnthropicParams(
      request([{ role: 'user', content: 'Hi' }], {
        reasoning: { budgetTokens: 2048 },
        providerOptions: {
          anthropic: { metadata: { user_id: 'u-1' }, thinking: { type: 'adaptive' }, stream: false },
          openai: { store: true },
        },
      }),
    );
    expect(params).toMatchObject({
      metadata: { user_id: 'u-1' },
      thinking: { type: 'adaptive' },
      stream: true,
    });
    expect((params as unknown as Record<string, unknown>).store).toBeUndefined();
  });
});
