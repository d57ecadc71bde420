import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { createTokenwire } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
import { openaiChatScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { openTelemetry } from './open-telemetry.js';
import { drain, everythingExported, inMemoryTelemetry } from './open-telemetry.test-helpers.js';

// Through the real openai SDK against the replay server: what the hooks see is what a user's
// stream gives them, vendor errors included.

const server = useReplayServer();

const question = [{ role: 'user' as const, content: 'Say hello.' }];

describe('openTelemetry() with the openai adapter', () => {
  it('traces a Chat Completions stream with the response id, model and usage the server sent', async () => {
    server.enqueue({ payloads: openaiChatScenarios.text.payloads });
    const telemetry = inMemoryTelemetry();
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-otel-0123456789', baseURL: `${server.url}/v1` });
    const tokenwire = createTokenwire({ providers: { openai: adapter }, hooks: [openTelemetry(telemetry)] });
    await drain(tokenwire.stream({ model: 'openai/gpt-4.1-mini', messages: question, maxTokens: 50 }));
    expect(telemetry.spans()).toEqual([
      {
        name: 'chat gpt-4.1-mini',
        kind: SpanKind.CLIENT,
        status: { code: SpanStatusCode.UNSET },
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4.1-mini',
          'gen_ai.request.max_tokens': 50,
          // Where the adapter sent it: the replay server on loopback.
          'server.address': '127.0.0.1',
          'server.port': Number(new URL(server.url).port),
          'gen_ai.response.model': 'test-model',
          'gen_ai.response.id': 'chatcmpl-conformance',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 4,
        },
        events: [],
      },
    ]);
  });

  it('puts the API key in no span, event, status or metric when a 401 body quotes it', async () => {
    const apiKey = 'sk-proj-LEAKTEST1234567890abcdef';
    server.enqueue({
      status: 401,
      echoCredentials: true,
      errorBody: { error: { message: `Incorrect API key provided: ${apiKey}`, code: 'invalid_api_key' } },
    });
    const telemetry = inMemoryTelemetry();
    const adapter = createOpenAIAdapter({ apiKey, baseURL: `${server.url}/v1` });
    // Content capture on: even the most the hooks record holds no key.
    const hooks = openTelemetry({ ...telemetry, captureContent: true });
    const tokenwire = createTokenwire({ providers: { openai: adapter }, hooks: [hooks] });
    const events = await drain(tokenwire.stream({ model: 'openai/gpt-4.1-mini', messages: question }));

    // The key went out, and the answer quoted it: otherwise this test would prove nothing.
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'authentication' } });
    const [span] = telemetry.spans();
    expect(span?.attributes['error.type']).toBe('authentication');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.status.message).toMatch(/^The openai API answered 401 .*\[redacted\]/);

    const exported = await everythingExported(telemetry);
    expect(exported).toContain('gen_ai.client.operation.duration');
    expect(exported).not.toContain(apiKey);
    expect(exported).not.toContain('LEAKTEST1234567890abcdef');
  });
});
