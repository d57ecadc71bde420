import Anthropic from '@anthropic-ai/sdk';
import { ChatOpenAI } from '@langchain/openai';
import {
  anthropicScenarios,
  geminiScenarios,
  openaiChatScenarios,
  type StreamScenario,
  TINY_PNG_BASE64,
  validateAnthropicRequest,
  validateOpenaiChatRequest,
} from '@tokenwire/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.js';
import { type GatewayFixture, replayTokenwire, startGateway, WEATHER_TOOL } from './gateway.test-helpers.js';

let fixture: GatewayFixture;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  fixture = await startGateway({
    models: { 'gpt-4o': 'openai/test-model', claude: ['anthropic/test-model'] },
  });
  openai = new OpenAI({ apiKey: 'gateway-client', baseURL: `${fixture.server.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'gateway-client', baseURL: fixture.server.url, maxRetries: 0 });
});
afterAll(() => fixture.close());

function payloadsOf(scenario: StreamScenario | { skip: string }): unknown[] {
  if ('skip' in scenario) throw new Error(`no such scenario: ${scenario.skip}`);
  return scenario.payloads;
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${fixture.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('whole answers (stream: false)', () => {
  it('answers Chat Completions with one chat.completion body, tool calls and usage', async () => {
    fixture.upstream.enqueue({ payloads: payloadsOf(anthropicScenarios.toolCall) });
    const completion = await openai.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: WEATHER_TOOL }],
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'toolu_weather_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
      },
    ]);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(completion.model).toBe('claude');
  });

  it('answers Messages with one message body', async () => {
    fixture.upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
    const message = await anthropic.messages.create({
      model: 'gpt-4o',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello, world!' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 12, output_tokens: 4 });
  });

  it('answers Responses with one response body', async () => {
    fixture.upstream.enqueue({ payloads: geminiScenarios.text.payloads });
    const response = await openai.responses.create({ model: 'google/test-model', input: 'Hi' });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(geminiScenarios.text.expected.content);
  });
});

describe('requests carried across dialects', () => {
  it('maps a Messages conversation with a tool result and an image to a valid Chat Completions request', async () => {
    fixture.upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
    await anthropic.messages.create({
      model: 'openai/test-model',
      max_tokens: 64,
      system: 'Be brief.',
      tools: [{ name: WEATHER_TOOL.name, input_schema: WEATHER_TOOL.parameters }],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temperature":21}' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG_BASE64 } },
          ],
        },
      ],
    });
    const body = fixture.upstream.requests.at(-1)?.body as { messages: Array<{ role: string }> };
    expect(validateOpenaiChatRequest(body)).toEqual([]);
    expect(body.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'user',
    ]);
  });

  it('maps a Chat Completions conversation with a tool call to a valid Messages request', async () => {
    fixture.upstream.enqueue({ payloads: anthropicScenarios.text.payloads });
    await openai.chat.completions.create({
      model: 'claude',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' },
      ],
      tools: [{ type: 'function', function: WEATHER_TOOL }],
    });
    expect(validateAnthropicRequest(fixture.upstream.requests.at(-1)?.body)).toEqual([]);
  });

  it('carries a structured-output request of each dialect to the provider', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    fixture.upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
    await openai.responses.create({
      model: 'openai/test-model',
      input: 'City?',
      text: { format: { type: 'json_schema', name: 'city', schema } },
    });
    const sent = fixture.upstream.requests.at(-1)?.body as { response_format: unknown };
    expect(sent.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'city', schema },
    });
    fixture.upstream.enqueue({ payloads: anthropicScenarios.text.payloads });
    const response = await post('/v1/messages', {
      model: 'claude',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'City?' }],
      output_config: { format: { type: 'json_schema', schema } },
    });
    expect(response.status).toBe(200);
    expect(fixture.upstream.requests.at(-1)?.body).toMatchObject({ output_config: { format: { schema } } });
  });

  it('refuses a field core cannot carry with the dialect 400, naming the path', async () => {
    const response = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 7,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; type: string; code: string } };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    expect(body.error.message).toContain('temperature');
  });
});

describe('errors in the dialect', () => {
  it('names an unknown field with the closest known one', async () => {
    const response = await post('/v1/chat/completions', { model: 'gpt-4o', messages: [], temprature: 1 });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringContaining("Unknown field 'temprature'. Did you mean temperature?"),
        type: 'invalid_request_error',
        param: 'temprature',
        code: 'invalid_request',
      },
    });
  });

  it('answers an unknown model with 404 listing the configured names, in Anthropic shape on /v1/messages', async () => {
    const response = await post('/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 8, messages: [] });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('not_found_error');
    expect(body.error.message).toContain('Configured models: gpt-4o, claude.');
  });

  it('answers invalid JSON with 400 in the dialect', async () => {
    const response = await post('/v1/responses', '{"model": ');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^The request body is not valid JSON/);
  });

  it('maps an upstream authentication error to 401 without the provider key', async () => {
    fixture.upstream.enqueue({ status: 401, echoCredentials: true });
    const response = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('upstream-secret-key');
  });

  it('answers an unknown route with 404 listing the routes', async () => {
    const response = await fetch(`${fixture.server.url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'POST /v1/responses',
    );
  });
});

describe('the other routes', () => {
  it('lists the configured models in OpenAI shape, and in Anthropic shape for an anthropic client', async () => {
    const models = await openai.models.list();
    expect(models.data.map((model) => [model.id, model.owned_by])).toEqual([
      ['gpt-4o', 'openai'],
      ['claude', 'anthropic'],
    ]);
    const anthropicModels = await anthropic.models.list();
    expect(anthropicModels.data.map((model) => model.id)).toEqual(['gpt-4o', 'claude']);
  });

  it('answers /health', async () => {
    const response = await fetch(`${fixture.server.url}/health`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('counts tokens with an estimate, flagged in a header, calling no provider', async () => {
    const before = fixture.upstream.requests.length;
    const response = await post('/v1/messages/count_tokens', {
      model: 'claude',
      messages: [{ role: 'user', content: 'Twelve characters, three tokens.' }],
    });
    expect(await response.json()).toEqual({ input_tokens: 8 });
    expect(response.headers.get('x-tokenwire-token-count')).toBe('estimate');
    expect(fixture.upstream.requests.length).toBe(before);
  });
});

describe('usage, overhead and hooks', () => {
  it('sends x-tokenwire-overhead-ms and reports the usage of every ending to the hooks', async () => {
    fixture.endings.length = 0;
    fixture.upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
    const response = await post('/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    expect(Number(response.headers.get('x-tokenwire-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    fixture.upstream.enqueue({ status: 500 });
    await post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
    expect(fixture.endings).toEqual([
      {
        type: 'finish',
        reason: 'stop',
        usage: expect.objectContaining({ inputTokens: 12, outputTokens: 4 }),
      },
      { type: 'error', usage: expect.objectContaining({ inputTokens: expect.any(Number) }) },
    ]);
  });

  it('streams through LangChain ChatOpenAI, tool call included', async () => {
    fixture.upstream.enqueue({ payloads: payloadsOf(geminiScenarios.toolCall) });
    const model = new ChatOpenAI({
      model: 'google/test-model',
      apiKey: 'gateway-client',
      configuration: { baseURL: `${fixture.server.url}/v1` },
      maxRetries: 0,
      streaming: true,
    }).bindTools([{ type: 'function', function: WEATHER_TOOL }]);
    let message: Awaited<ReturnType<typeof model.invoke>> | undefined;
    for await (const chunk of await model.stream('Weather in Paris?'))
      message = message === undefined ? chunk : message.concat(chunk);
    expect(message?.tool_calls?.map((call) => [call.name, call.args])).toEqual([
      ['get_weather', { city: 'Paris' }],
    ]);
  });
});

describe('a client that goes away', () => {
  it('closes the upstream stream within a second and reports the cancelled ending', async () => {
    fixture.endings.length = 0;
    // The upstream sends its first text, then stalls: only the client's going away can end the stream.
    const stallAfter = anthropicScenarios.text.recordsBeforeOutput + 1;
    fixture.upstream.enqueue({ payloads: anthropicScenarios.text.payloads, stallAfter });
    const controller = new AbortController();
    const response = await fetch(`${fixture.server.url}/v1/responses`, {
      method: 'POST',
      body: JSON.stringify({ model: 'claude', input: 'Hi', stream: true }),
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('response.created');
    controller.abort();
    await fixture.upstream.waitForClientClose(1000);
    await expect.poll(() => fixture.endings.map((ending) => ending.reason)).toEqual(['cancelled']);
  });
});

describe('auth', () => {
  it('refuses a missing or wrong token in the dialect, never echoing it, and serves the right one', async () => {
    const token = 'gateway-token-0123456789abcdef';
    const gateway = createGateway({
      tokenwire: replayTokenwire(fixture.upstream),
      auth: { tokens: [token] },
    });
    const server = await gateway.listen({ port: 0 });
    try {
      const wrong = await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'wrong-token-abcdefghijklmnop' },
        body: '{}',
      });
      expect(wrong.status).toBe(401);
      const text = await wrong.text();
      expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
      expect(text).not.toContain('wrong-token');
      fixture.upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
      const client = new OpenAI({ apiKey: token, baseURL: `${server.url}/v1`, maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'openai/test-model',
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(completion.choices[0]?.message.content).toBe('Hello, world!');
    } finally {
      await server.close();
    }
  });

  it('refuses to listen beyond loopback without auth', async () => {
    const gateway = createGateway({ tokenwire: replayTokenwire(fixture.upstream) });
    await expect(gateway.listen({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /refusing to bind 0\.0\.0\.0 without auth/,
    );
  });
});
