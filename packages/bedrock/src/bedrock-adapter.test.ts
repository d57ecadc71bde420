import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createTokenwire, type ErrorEvent, type StreamRequest } from '@tokenwire/core';
import { bedrockScenarios, collect, TINY_PNG_BASE64 } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { type BedrockAdapterSettings, createBedrockAdapter } from './bedrock-adapter.js';

// The adapter through the real AWS SDK against the replay server: what it sends, and what it refuses.
const server = useReplayServer();

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'adapter-test-secret-key-0123456789',
};

function stream(request: Partial<StreamRequest>, settings: BedrockAdapterSettings = {}) {
  const adapter = createBedrockAdapter({
    endpoint: server.url,
    region: 'us-east-1',
    credentials,
    ...settings,
  });
  const tokenwire = createTokenwire({ providers: { bedrock: adapter }, retries: 0 });
  return collect(
    tokenwire.stream({
      model: 'bedrock/test-model',
      messages: [{ role: 'user', content: 'Hi' }],
      ...request,
    }),
  );
}

describe('createBedrockAdapter', () => {
  it('keeps an inference profile ARN whole in the model id and the request path', async () => {
    server.enqueue({ payloads: bedrockScenarios.text.payloads });
    const arn =
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-v1:0';
    const events = await stream({ model: `bedrock/${arn}` });
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hello, world!', model: arn });
    expect(server.requests[0]?.path).toBe(`/model/${encodeURIComponent(arn)}/converse-stream`);
  });

  it('sends the conversation in Converse shape: system, image bytes, reasoning with its signature, tool turns', async () => {
    server.enqueue({ payloads: bedrockScenarios.text.payloads });
    await stream({
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', data: TINY_PNG_BASE64, mediaType: 'image/png' },
          ],
        },
        {
          role: 'assistant',
          content: '',
          reasoning: [{ text: 'Looking.', signature: 'sig-1' }, { text: 'from elsewhere' }],
          toolCalls: [{ id: 'tu_1', name: 'look', arguments: '{"at":"image"}' }],
        },
        { role: 'tool', toolCallId: 'tu_1', content: 'a pixel' },
      ],
      tools: [{ name: 'look', parameters: { type: 'object', properties: { at: { type: 'string' } } } }],
      maxTokens: 100,
      temperature: 0.5,
      stop: ['END'],
      providerOptions: { bedrock: { cachePoints: { system: true }, requestMetadata: { team: 'a' } } },
    });
    expect(server.requests[0]?.body).toEqual({
      messages: [
        {
          role: 'user',
          content: [
            { text: 'What is this?' },
            { image: { format: 'png', source: { bytes: TINY_PNG_BASE64 } } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'Looking.', signature: 'sig-1' } } },
            { toolUse: { toolUseId: 'tu_1', name: 'look', input: { at: 'image' } } },
          ],
        },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 'tu_1', content: [{ text: 'a pixel' }], status: 'success' } }],
        },
      ],
      system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'look',
              inputSchema: { json: { type: 'object', properties: { at: { type: 'string' } } } },
            },
          },
        ],
      },
      inferenceConfig: { maxTokens: 100, temperature: 0.5, stopSequences: ['END'] },
      requestMetadata: { team: 'a' },
    });
  });

  it("sends a reasoning budget as Claude's thinking and the effort as outputConfig.effort", async () => {
    server.enqueue({ payloads: bedrockScenarios.text.payloads });
    await stream({ reasoning: { budgetTokens: 2048, effort: 'minimal' } });
    expect(server.requests[0]?.body).toMatchObject({
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
      outputConfig: { effort: 'low' },
    });
  });

  it("turns a passed client's own retries off: a 429 is tokenwire's to retry, sent once", async () => {
    server.enqueue({ status: 429 }, { payloads: bedrockScenarios.text.payloads });
    // The SDK's default: 3 attempts in standard mode, which would retry the 429 itself.
    const client = new BedrockRuntimeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    const tokenwire = createTokenwire({
      providers: { bedrock: createBedrockAdapter({ client }) },
      retries: 0,
    });
    const events = await collect(
      tokenwire.stream({ model: 'bedrock/test-model', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'rate_limit', status: 429 } });
    expect(server.requests).toHaveLength(1);
  });

  it('adds the configured and per-request headers to the signed request', async () => {
    server.enqueue({ payloads: bedrockScenarios.text.payloads });
    await stream({ headers: { 'x-request-tag': 'r1' } }, { headers: { 'x-team': 'search' } });
    expect(server.requests[0]?.headers).toMatchObject({ 'x-team': 'search', 'x-request-tag': 'r1' });
  });

  it.each<[string, Partial<StreamRequest>, string]>([
    ['seed', { seed: 7 }, 'seed'],
    [
      'toolChoice none',
      { tools: [{ name: 'look', parameters: { type: 'object' } }], toolChoice: 'none' },
      'toolChoice',
    ],
    ['a temperature above 1', { temperature: 1.5 }, 'temperature'],
    [
      'a web image URL',
      { messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }] },
      'messages[0].content[0]',
    ],
  ])('refuses %s before sending anything', async (_name, request, path) => {
    const events = await stream(request);
    expect(events).toHaveLength(1);
    const error = (events[0] as ErrorEvent).error;
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(error.message).toContain(path);
    expect(server.requests).toHaveLength(0);
  });

  it('names its endpoint for telemetry: the configured one, then where the signed request went', async () => {
    expect(createBedrockAdapter({ region: 'eu-west-3' }).endpoint?.()).toBe(
      'https://bedrock-runtime.eu-west-3.amazonaws.com',
    );
    server.enqueue({ payloads: bedrockScenarios.text.payloads });
    const client = new BedrockRuntimeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    const adapter = createBedrockAdapter({ client });
    expect(adapter.endpoint?.()).toBeUndefined();
    const tokenwire = createTokenwire({ providers: { bedrock: adapter }, retries: 0 });
    await collect(
      tokenwire.stream({ model: 'bedrock/test-model', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(adapter.endpoint?.()).toBe(new URL(server.url).origin);
  });

  it('refuses an unknown setting, and endpoint with baseURL, as configuration errors', async () => {
    const unknown = await stream({}, { regoin: 'us-east-1' } as BedrockAdapterSettings);
    expect((unknown[0] as ErrorEvent).error).toMatchObject({ code: 'configuration' });
    expect((unknown[0] as ErrorEvent).error.message).toContain('regoin');
    const both = await stream({}, { baseURL: server.url });
    expect((both[0] as ErrorEvent).error.message).toContain('endpoint and baseURL');
  });

  it('keeps a session token the credentials resolve to out of errors that echo it', async () => {
    const sessionToken = 'resolved-session-token-9a8b7c6d5e';
    server.enqueue({ status: 403, echoCredentials: true });
    const events = await stream(
      {},
      { credentials: async () => ({ ...credentials, accessKeyId: 'ASIAIOSFODNN7EXAMPLE', sessionToken }) },
    );
    const error = (events.at(-1) as ErrorEvent).error;
    expect(error.code).toBe('permission');
    expect(JSON.stringify({ message: error.message, cause: error.cause })).not.toContain(sessionToken);
    expect(error.message).not.toContain('ASIAIOSFODNN7EXAMPLE');
  });
});
