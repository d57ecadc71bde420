import type { ChatRequest } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toOpenAIResponsesParams } from './openai-responses-messages.js';

describe('toOpenAIResponsesParams', () => {
  it('maps a multi-turn tool conversation to input items', () => {
    const request: ChatRequest = {
      model: 'gpt-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Rome?' },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Rome"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '21°C' },
        { role: 'assistant', content: 'It is 21°C.' },
      ],
    };
    expect(toOpenAIResponsesParams(request).input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Rome?' },
      { role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Rome"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '21°C' },
      { role: 'assistant', content: 'It is 21°C.' },
    ]);
  });

  it('maps text and image parts to input_text and input_image', () => {
    const request: ChatRequest = {
      model: 'gpt-5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', data: 'AAAA', mediaType: 'image/png' },
          ],
        },
      ],
    };
    expect(toOpenAIResponsesParams(request).input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
        ],
      },
    ]);
  });

  it('maps tools (strict off unless asked), tool choice, response format, reasoning and limits', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const params = toOpenAIResponsesParams({
      model: 'gpt-5',
      messages: [],
      tools: [{ name: 'now' }, { name: 'weather', description: 'Weather', parameters: schema, strict: true }],
      toolChoice: { name: 'weather' },
      responseFormat: { type: 'json_schema', name: 'answer', schema },
      reasoning: { effort: 'low', includeThoughts: true },
      maxTokens: 500,
      temperature: 1,
      topP: 0.5,
    });
    expect(params).toEqual({
      model: 'gpt-5',
      input: [],
      stream: true,
      tools: [
        { type: 'function', name: 'now', parameters: { type: 'object', properties: {} }, strict: false },
        { type: 'function', name: 'weather', description: 'Weather', parameters: schema, strict: true },
      ],
      tool_choice: { type: 'function', name: 'weather' },
      text: { format: { type: 'json_schema', name: 'answer', schema } },
      reasoning: { effort: 'low', summary: 'auto' },
      max_output_tokens: 500,
      temperature: 1,
      top_p: 0.5,
    });
  });

  it('maps JSON mode and passes providerOptions.openai through', () => {
    const params = toOpenAIResponsesParams({
      model: 'gpt-5',
      messages: [],
      responseFormat: { type: 'json' },
      toolChoice: 'required',
      providerOptions: { openai: { store: false, include: ['reasoning.encrypted_content'] } },
    });
    expect(params).toMatchObject({
      text: { format: { type: 'json_object' } },
      tool_choice: 'required',
      store: false,
      include: ['reasoning.encrypted_content'],
      stream: true,
    });
  });
});
