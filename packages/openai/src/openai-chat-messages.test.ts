import type { ChatRequest } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toOpenAIChatParams } from './openai-chat-messages.js';

const weatherTool = {
  name: 'weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('toOpenAIChatParams', () => {
  it('maps a multi-turn tool conversation: roles, tool calls and tool results', () => {
    const request: ChatRequest = {
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Rome?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Rome"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '21°C' },
        { role: 'assistant', content: 'It is 21°C.' },
      ],
    };
    expect(toOpenAIChatParams(request).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '21°C' },
      { role: 'assistant', content: 'It is 21°C.' },
    ]);
  });

  it('sends empty tool-call arguments as {} and an empty assistant message as an empty string', () => {
    const request: ChatRequest = {
      model: 'm',
      messages: [
        { role: 'assistant', toolCalls: [{ id: 'call_1', name: 'now', arguments: '' }] },
        { role: 'assistant', content: null },
      ],
    };
    expect(toOpenAIChatParams(request).messages).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'now', arguments: '{}' } }],
      },
      { role: 'assistant', content: '' },
    ]);
  });

  it('maps images by URL and as base64 data URLs, and joins text-only parts into a string', () => {
    const request: ChatRequest = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare ' },
            { type: 'image', url: 'https://example.com/a.png' },
            { type: 'image', data: 'AAAA', mediaType: 'image/jpeg' },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'one ' },
            { type: 'text', text: 'string' },
          ],
        },
      ],
    };
    expect(toOpenAIChatParams(request).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare ' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
        ],
      },
      { role: 'user', content: 'one string' },
    ]);
  });

  it('sends a data: URL image as a data: URL, and history arguments that are not a JSON object as {}', () => {
    const request: ChatRequest = {
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'image', url: 'data:image/webp;base64,UklGR' }] },
        {
          role: 'assistant',
          toolCalls: [
            { id: 'call_1', name: 'weather', arguments: '{"city": "Par' },
            { id: 'call_2', name: 'weather', arguments: '["Paris"]' },
          ],
        },
      ],
    };
    expect(toOpenAIChatParams(request).messages).toEqual([
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGR' } }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } },
          { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{}' } },
        ],
      },
    ]);
  });

  it('maps tools with their JSON Schema, defaulting to an empty object schema, and a forced tool choice', () => {
    const params = toOpenAIChatParams({
      model: 'm',
      messages: [],
      tools: [{ ...weatherTool, strict: true }, { name: 'now' }],
      toolChoice: { name: 'weather' },
    });
    expect({ tools: params.tools, tool_choice: params.tool_choice }).toEqual({
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Weather of a city',
            parameters: weatherTool.parameters,
            strict: true,
          },
        },
        { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
    });
  });

  it.each(['auto', 'required', 'none'] as const)('passes toolChoice %s through', (toolChoice) => {
    expect(toOpenAIChatParams({ model: 'm', messages: [], toolChoice }).tool_choice).toBe(toolChoice);
  });

  it('maps JSON schema and JSON mode response formats', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    expect(
      toOpenAIChatParams({
        model: 'm',
        messages: [],
        responseFormat: { type: 'json_schema', name: 'answer', schema, strict: true },
      }).response_format,
    ).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });
    expect(
      toOpenAIChatParams({ model: 'm', messages: [], responseFormat: { type: 'json' } }).response_format,
    ).toEqual({
      type: 'json_object',
    });
  });

  it('maps sampling, limits and reasoning effort, and asks for the usage chunk', () => {
    const params = toOpenAIChatParams({
      model: 'o4-mini',
      messages: [],
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 100,
      stop: ['END'],
      seed: 7,
      reasoning: { effort: 'high' },
    });
    expect(params).toEqual({
      model: 'o4-mini',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 100,
      stop: ['END'],
      seed: 7,
      reasoning_effort: 'high',
    });
  });

  it('honours the service quirks: max_tokens and no stream_options', () => {
    const params = toOpenAIChatParams(
      { model: 'mistral-small-latest', messages: [], maxTokens: 50 },
      { streamOptions: false, maxTokensField: 'max_tokens' },
    );
    expect(params).toEqual({ model: 'mistral-small-latest', messages: [], stream: true, max_tokens: 50 });
  });

  it("merges providerOptions.openai, then the provider's own entry, keeping stream on", () => {
    const params = toOpenAIChatParams(
      {
        model: 'qwen3-max',
        messages: [],
        temperature: 0.5,
        providerOptions: {
          openai: { temperature: 1, user: 'u1', stream: false },
          qwen: { enable_thinking: true },
        },
      },
      { provider: 'qwen' },
    );
    expect(params).toMatchObject({ temperature: 1, user: 'u1', enable_thinking: true, stream: true });
  });
});
