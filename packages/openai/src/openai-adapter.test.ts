import { type Adapter, createTokenwire, type StreamEvent, type StreamRequest } from '@tokenwire/core';
import { collect, openaiChatScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAdapter, createOpenAIAdapter } from './openai-adapter.js';

const textPayloads = openaiChatScenarios.text.payloads;
const responsesPayloads = [
  {
    type: 'response.created',
    response: { id: 'resp_1', model: 'gpt-test', status: 'in_progress', output: [] },
  },
  { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi!' },
  {
    type: 'response.completed',
    response: { id: 'resp_1', model: 'gpt-test', status: 'completed', output: [] },
  },
];

const server = useReplayServer();
afterEach(() => {
  vi.unstubAllEnvs();
});

function run(
  adapter: Adapter,
  request: Partial<StreamRequest> = {},
  provider = 'openai',
): Promise<StreamEvent[]> {
  const tokenwire = createTokenwire({ providers: { [provider]: adapter }, retries: 0 });
  return collect(
    tokenwire.stream({
      model: `${provider}/test-model`,
      messages: [{ role: 'user', content: 'Hello' }],
      ...request,
    }),
  );
}

function lastEvent(events: StreamEvent[]) {
  const last = events.at(-1);
  return last?.type === 'error'
    ? { type: 'error', code: last.error.code, message: last.error.message }
    : { type: last?.type, content: last?.type === 'finish' ? last.content : undefined };
}

describe('createOpenAIAdapter', () => {
  it('builds its client on first use, without SDK retries: a 429 is sent once', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '0' } }, { payloads: textPayloads });
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-key-1234', baseURL: `${server.url}/v1` });
    const events = await run(adapter);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'error',
      error: { code: 'rate_limit', status: 429, retryAfterMs: 0 },
    });
    expect(server.requests).toHaveLength(1);
    expect(adapter.client.maxRetries).toBe(0);
  });

  it('uses a passed client as is and still sends each request without SDK retries', async () => {
    server.enqueue({ status: 500 }, { payloads: textPayloads });
    const client = new OpenAI({ apiKey: 'sk-own-client-key', baseURL: `${server.url}/v1`, maxRetries: 5 });
    const adapter = createOpenAIAdapter({ client });
    expect(adapter.client).toBe(client);
    expect(lastEvent(await run(adapter))).toMatchObject({ type: 'error', code: 'server' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-own-client-key');
  });

  it('sends the mapped request to chat/completions with the request headers', async () => {
    server.enqueue({ payloads: textPayloads });
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-key-1234', baseURL: `${server.url}/v1` });
    await run(adapter, { maxTokens: 64, headers: { 'x-trace-id': 'trace-1' } });
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers['x-trace-id']).toBe('trace-1');
    expect(request?.body).toEqual({
      model: 'test-model',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 64,
    });
  });

  it("streams from the Responses API with api: 'responses'", async () => {
    server.enqueue({ payloads: responsesPayloads });
    const adapter = createOpenAIAdapter({
      apiKey: 'sk-test-key-1234',
      baseURL: `${server.url}/v1`,
      api: 'responses',
    });
    expect(lastEvent(await run(adapter))).toEqual({ type: 'finish', content: 'Hi!' });
    expect(server.requests[0]?.path).toBe('/v1/responses');
  });

  it('retries once without stream_options when the service rejects them, and remembers', async () => {
    const rejection = {
      error: {
        message: 'Unrecognized request argument supplied: stream_options',
        type: 'invalid_request_error',
      },
    };
    server.enqueue(
      { status: 400, errorBody: rejection },
      { payloads: textPayloads },
      { payloads: textPayloads },
    );
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-key-1234', baseURL: `${server.url}/v1` });
    expect(lastEvent(await run(adapter))).toEqual({ type: 'finish', content: 'Hello, world!' });
    expect(lastEvent(await run(adapter))).toEqual({ type: 'finish', content: 'Hello, world!' });
    expect(server.requests.map((request) => 'stream_options' in (request.body as object))).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('does not retry a 400 that is about something else', async () => {
    server.enqueue({ status: 400 }, { payloads: textPayloads });
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-key-1234', baseURL: `${server.url}/v1` });
    expect(lastEvent(await run(adapter))).toMatchObject({ type: 'error', code: 'invalid_request' });
    expect(server.requests).toHaveLength(1);
  });

  it('redacts the API key from error messages', async () => {
    const key = 'my-very-secret-key-9876';
    server.enqueue({
      status: 401,
      errorBody: { error: { message: `Incorrect API key provided: ${key}`, code: 'invalid_api_key' } },
    });
    const adapter = createOpenAIAdapter({ apiKey: key, baseURL: `${server.url}/v1` });
    const last = lastEvent(await run(adapter));
    expect(last).toMatchObject({ type: 'error', code: 'authentication' });
    expect(last.message).toContain('OPENAI_API_KEY');
    expect(last.message).not.toContain(key);
  });
});

describe('createAdapter (configuration)', () => {
  it('serves a compatible service by provider name, with its key variable and max_tokens', async () => {
    vi.stubEnv('DEEPSEEK_API_KEY', 'sk-deepseek-from-env');
    vi.stubEnv('OPENAI_ORG_ID', 'org-must-not-leak');
    server.enqueue({ payloads: textPayloads });
    const adapter = createAdapter({ provider: 'deepseek', baseURL: `${server.url}/v1` });
    expect(lastEvent(await run(adapter, { maxTokens: 10 }, 'deepseek'))).toEqual({
      type: 'finish',
      content: 'Hello, world!',
    });
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe('Bearer sk-deepseek-from-env');
    expect(request?.headers['openai-organization']).toBeUndefined();
    expect(request?.body).toMatchObject({ max_tokens: 10 });
  });

  it('reports a missing key as a configuration error naming the environment variable, before any request', async () => {
    vi.stubEnv('MOONSHOT_API_KEY', '');
    const events = await run(createAdapter({ provider: 'kimi', baseURL: `${server.url}/v1` }), {}, 'kimi');
    expect(events).toHaveLength(1);
    expect(lastEvent(events)).toMatchObject({ type: 'error', code: 'configuration' });
    expect(lastEvent(events).message).toContain('MOONSHOT_API_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('needs no key for local servers (vLLM, LM Studio)', async () => {
    vi.stubEnv('VLLM_API_KEY', '');
    server.enqueue({ payloads: textPayloads });
    const events = await run(createAdapter({ provider: 'vllm', baseURL: `${server.url}/v1` }), {}, 'vllm');
    expect(lastEvent(events)).toEqual({ type: 'finish', content: 'Hello, world!' });
  });

  it("takes the user's own service from settings: baseURL, apiKeyEnv and quirks", async () => {
    vi.stubEnv('MYCORP_TOKEN', 'mycorp-secret-token');
    server.enqueue({ payloads: textPayloads });
    const adapter = createAdapter({
      provider: 'mycorp',
      baseURL: `${server.url}/v1`,
      apiKeyEnv: 'MYCORP_TOKEN',
      quirks: { streamOptions: false },
    });
    expect(lastEvent(await run(adapter, {}, 'mycorp'))).toEqual({ type: 'finish', content: 'Hello, world!' });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer mycorp-secret-token');
    expect(server.requests[0]?.body).not.toHaveProperty('stream_options');
  });

  it('reports an unknown provider without baseURL as a configuration error', async () => {
    const events = await run(createAdapter({ provider: 'nowhere', apiKey: 'sk-x-12345678' }), {}, 'nowhere');
    expect(events).toHaveLength(1);
    expect(lastEvent(events)).toMatchObject({ type: 'error', code: 'configuration' });
    expect(lastEvent(events).message).toContain("Unknown OpenAI-compatible provider 'nowhere'");
    expect(server.requests).toHaveLength(0);
  });

  it('reports an api setting other than chat or responses on the first request, without throwing', async () => {
    const adapter = createAdapter({ provider: 'openai', apiKey: 'sk-x-12345678', api: 'completions' });
    const events = await run(adapter);
    expect(events).toHaveLength(1);
    expect(lastEvent(events)).toMatchObject({ type: 'error', code: 'configuration' });
    expect(lastEvent(events).message).toContain('must be one of chat, responses');
    expect(server.requests).toHaveLength(0);
  });

  it('serves Azure through the AzureOpenAI client: deployment path and api-version', async () => {
    vi.stubEnv('AZURE_OPENAI_API_KEY', 'azure-key-123456');
    server.enqueue({ payloads: textPayloads });
    const adapter = createAdapter({
      provider: 'azure',
      baseURL: `${server.url}/openai`,
      apiVersion: '2024-10-21',
    });
    expect(lastEvent(await run(adapter, {}, 'azure'))).toEqual({ type: 'finish', content: 'Hello, world!' });
    const [request] = server.requests;
    expect(request?.url).toBe('/openai/deployments/test-model/chat/completions?api-version=2024-10-21');
    expect(request?.headers['api-key']).toBe('azure-key-123456');
  });

  it('asks for the Azure API version or endpoint when neither is configured', async () => {
    vi.stubEnv('AZURE_OPENAI_API_KEY', 'azure-key-123456');
    vi.stubEnv('OPENAI_API_VERSION', '');
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', '');
    const withoutVersion = await run(createAdapter({ provider: 'azure' }), {}, 'azure');
    expect(lastEvent(withoutVersion).message).toContain('OPENAI_API_VERSION');
    const withoutEndpoint = await run(
      createAdapter({ provider: 'azure', apiVersion: '2024-10-21' }),
      {},
      'azure',
    );
    expect(lastEvent(withoutEndpoint).message).toContain('AZURE_OPENAI_ENDPOINT');
  });
});

describe('adapter.stream()', () => {
  it('yields the deltas for use without the runtime', async () => {
    server.enqueue({ payloads: textPayloads.slice(0, 3) });
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-key-1234', baseURL: `${server.url}/v1` });
    const deltas = [];
    const request = { model: 'test-model', messages: [{ role: 'user' as const, content: 'Hello' }] };
    for await (const delta of adapter.stream(request, { signal: new AbortController().signal }))
      deltas.push(delta);
    expect(deltas).toEqual([
      { type: 'start', model: 'test-model', responseId: 'chatcmpl-conformance' },
      { type: 'text', delta: 'Hello' },
      { type: 'text', delta: ', ' },
    ]);
  });
});
