import type { ChatRequest } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toOllamaChatRequest, toOllamaMessages } from './ollama-messages.js';

const request = (fields: Partial<ChatRequest>): ChatRequest => ({
  model: 'qwen3',
  messages: [{ role: 'user', content: 'Hi' }],
  ...fields,
});

describe('toOllamaChatRequest', () => {
  it('sends a plain streaming request with nothing the caller did not set', () => {
    expect(toOllamaChatRequest(request({}))).toEqual({
      model: 'qwen3',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
  });

  it('maps sampling settings to options, with maxTokens as num_predict, and keepAlive to keep_alive', () => {
    const params = toOllamaChatRequest(
      request({ temperature: 0.2, topP: 0.9, maxTokens: 256, stop: ['\n\n'], seed: 7 }),
      { keepAlive: '10m' },
    );
    expect(params.options).toEqual({
      temperature: 0.2,
      top_p: 0.9,
      num_predict: 256,
      stop: ['\n\n'],
      seed: 7,
    });
    expect(params.keep_alive).toBe('10m');
  });

  it('sends a JSON schema response format as format, and json mode as "json"', () => {
    const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
    expect(toOllamaChatRequest(request({ responseFormat: { type: 'json_schema', schema } })).format).toEqual(
      schema,
    );
    expect(toOllamaChatRequest(request({ responseFormat: { type: 'json' } })).format).toBe('json');
    expect(toOllamaChatRequest(request({ responseFormat: { type: 'text' } }))).not.toHaveProperty('format');
  });

  it('maps reasoning to think: efforts to levels, off switches to false, the rest to true', () => {
    const think = (reasoning: ChatRequest['reasoning']) => toOllamaChatRequest(request({ reasoning })).think;
    expect([
      think({ effort: 'high' }),
      think({ effort: 'minimal' }),
      think({ effort: 'medium', includeThoughts: true }),
      think({ includeThoughts: false }),
      think({ budgetTokens: 0 }),
      think({ includeThoughts: true }),
      think({}),
      think(undefined),
    ]).toEqual(['high', 'low', 'medium', false, false, true, true, undefined]);
  });

  it('maps tools with their JSON schema and a default empty object schema', () => {
    const params = toOllamaChatRequest(
      request({
        tools: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
          { name: 'now' },
        ],
      }),
    );
    expect(params.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
      { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
    ]);
  });

  it('sends no tools for toolChoice none, only the named tool for a forced choice', () => {
    const tools = [{ name: 'a' }, { name: 'b' }];
    expect(toOllamaChatRequest(request({ tools, toolChoice: 'none' }))).not.toHaveProperty('tools');
    expect(
      toOllamaChatRequest(request({ tools, toolChoice: { name: 'b' } })).tools?.map(
        (tool) => tool.function.name,
      ),
    ).toEqual(['b']);
  });

  it('merges providerOptions.ollama over the request, options key by key, and keeps streaming on', () => {
    const params = toOllamaChatRequest(
      request({
        temperature: 0.5,
        providerOptions: { ollama: { options: { num_ctx: 8192 }, logprobs: true, stream: false } },
      }),
    );
    expect(params).toMatchObject({
      options: { temperature: 0.5, num_ctx: 8192 },
      logprobs: true,
      stream: true,
    });
  });
});

describe('toOllamaMessages', () => {
  it('maps system, user and assistant messages with their roles', () => {
    expect(
      toOllamaMessages([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'assistant', content: null },
      ]),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'assistant', content: '' },
    ]);
  });

  it('sends assistant tool calls with object arguments, and tool results with the name of their call', () => {
    expect(
      toOllamaMessages([
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { id: 'call_2', name: 'now', arguments: '', input: undefined },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', content: '18°C' },
        { role: 'tool', toolCallId: 'call_2', content: '12:00' },
        { role: 'tool', toolCallId: 'call_unknown', content: '?' },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'call_1', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
          { id: 'call_2', function: { name: 'now', arguments: {} } },
        ],
      },
      { role: 'tool', content: '18°C', tool_name: 'get_weather', tool_call_id: 'call_1' },
      { role: 'tool', content: '12:00', tool_name: 'now', tool_call_id: 'call_2' },
      { role: 'tool', content: '?', tool_call_id: 'call_unknown' },
    ]);
  });

  it('prefers the parsed input of a call, and an explicit tool name on a result', () => {
    expect(
      toOllamaMessages([
        { role: 'assistant', toolCalls: [{ id: 'c', name: 'f', arguments: '{"a":1}', input: { a: 2 } }] },
        { role: 'tool', toolCallId: 'c', content: 'ok', name: 'g' },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'c', function: { name: 'f', arguments: { a: 2 } } }],
      },
      { role: 'tool', content: 'ok', tool_name: 'g', tool_call_id: 'c' },
    ]);
  });

  it('sends history tool-call arguments that are not a JSON object as {}, as every provider does', () => {
    const argumentsOf = (text: string) =>
      toOllamaMessages([{ role: 'assistant', toolCalls: [{ id: 'c', name: 'f', arguments: text }] }])[0]
        ?.tool_calls?.[0]?.function.arguments;
    expect([argumentsOf('{"city": "Par'), argumentsOf('[1,2]'), argumentsOf('"Paris"')]).toEqual([
      {},
      {},
      {},
    ]);
  });

  it('sends assistant reasoning back as thinking', () => {
    expect(
      toOllamaMessages([
        { role: 'assistant', content: '391', reasoning: [{ text: '17 × 23 = ' }, { text: '391' }] },
      ]),
    ).toEqual([{ role: 'assistant', content: '391', thinking: '17 × 23 = 391' }]);
  });

  it('joins text parts and sends images as bare base64, stripping data URLs', () => {
    expect(
      toOllamaMessages([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'text', text: 'these pictures?' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
          ],
        },
      ]),
    ).toEqual([
      { role: 'user', content: 'What is in\nthese pictures?', images: ['iVBORw0KGgo=', '/9j/4AAQ'] },
    ]);
  });
});
