import type { ChatRequest } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { toOpenAIChatParams } from './openai-chat-messages.js';
import { OPENAI_COMPATIBLE_SERVICES } from './openai-compatible-services.js';
import { toOpenAIResponsesParams } from './openai-responses-messages.js';

const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const hello: ChatRequest['messages'] = [{ role: 'user', content: 'Weather in Paris?' }];
const asJson: ChatRequest = { model: 'm', messages: hello, responseFormat: { type: 'json' } };
const withSchema: ChatRequest = {
  model: 'm',
  messages: hello,
  responseFormat: { type: 'json_schema', name: 'weather', schema, strict: true },
};
const quotesSchema = expect.stringContaining(JSON.stringify(schema));

describe('responseFormat on Chat Completions', () => {
  it('sends JSON mode, with an instruction first when no message says "json" (OpenAI refuses that)', () => {
    const params = toOpenAIChatParams(asJson);
    expect(params.response_format).toEqual({ type: 'json_object' });
    expect(params.messages[0]).toEqual({ role: 'system', content: expect.stringMatching(/JSON/) });
    expect(params.messages).toHaveLength(2);
    const saysJson = toOpenAIChatParams({
      ...asJson,
      messages: [{ role: 'user', content: 'Reply in json' }],
    });
    expect(saysJson.messages).toEqual([{ role: 'user', content: 'Reply in json' }]);
  });

  it('sends the named schema natively', () => {
    const params = toOpenAIChatParams(withSchema);
    expect(params.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'weather', schema, strict: true },
    });
    expect(params.messages).toEqual([{ role: 'user', content: 'Weather in Paris?' }]);
  });

  it('asks a JSON-mode-only service for json_object, with the schema quoted in an instruction', () => {
    const params = toOpenAIChatParams(withSchema, { structuredOutput: 'json_object' });
    expect(params.response_format).toEqual({ type: 'json_object' });
    expect(params.messages[0]).toEqual({ role: 'system', content: quotesSchema });
  });

  it('sends { type: json } to a schema-only service as the schema { type: object }', () => {
    const params = toOpenAIChatParams(asJson, { structuredOutput: 'json_schema' });
    expect(params.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema: { type: 'object' } },
    });
  });

  it('sends only the instruction to a service that ignores response_format', () => {
    const params = toOpenAIChatParams(withSchema, { structuredOutput: 'instructions' });
    expect(params.response_format).toBeUndefined();
    expect(params.messages[0]).toEqual({ role: 'system', content: quotesSchema });
  });

  it('names a structured-output support for the services that differ from OpenAI', () => {
    const support = (name: string) => OPENAI_COMPATIBLE_SERVICES[name]?.quirks?.structuredOutput ?? 'native';
    expect(support('deepseek')).toBe('json_object');
    expect(support('lmstudio')).toBe('json_schema');
    expect(support('minimax')).toBe('instructions');
    expect(support('mistral')).toBe('native');
  });
});

describe('responseFormat on the Responses API', () => {
  it('sends text.format json_object with an instruction item first, or the named schema', () => {
    const json = toOpenAIResponsesParams(asJson);
    expect(json.text).toEqual({ format: { type: 'json_object' } });
    expect((json.input as unknown[])[0]).toEqual({ role: 'system', content: expect.stringMatching(/JSON/) });
    const named = toOpenAIResponsesParams(withSchema);
    expect(named.text).toEqual({ format: { type: 'json_schema', name: 'weather', schema, strict: true } });
    expect(named.input).toEqual([{ role: 'user', content: 'Weather in Paris?' }]);
  });
});
