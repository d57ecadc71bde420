import {
  type Adapter,
  createTokenwire,
  type ErrorEvent,
  type FinishEvent,
  type StreamEvent,
  type Timeouts,
} from '@tokenwire/core';
import { collect, findSecrets, openaiChatScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAdapter, createOpenAIAdapter } from './openai-adapter.js';

const server = useReplayServer();
afterEach(() => {
  vi.unstubAllEnvs();
});

function run(adapter: Adapter, provider = 'openai', timeouts: Timeouts = {}): Promise<StreamEvent[]> {
  const tokenwire = createTokenwire({ providers: { [provider]: adapter }, retries: 0, timeouts });
  return collect(
    tokenwire.stream({ model: `${provider}/test-model`, messages: [{ role: 'user', content: 'Hello' }] }),
  );
}

function lastError(events: StreamEvent[]): ErrorEvent['error'] {
  const last = events.at(-1);
  expect(last?.type).toBe('error');
  return (last as ErrorEvent).error;
}

const chat = openaiChatScenarios.text;

// Every test on both transports: the SDK reading the body, and tokenwire reading it.
describe.each(['sdk', 'direct'] as const)('transport %s', (transport) => {
  describe('Chat Completions: the requested usage chunk after the finish is the terminal record', () => {
    it('finishes with the usage when the server then holds the connection open without [DONE]', async () => {
      // stallAfter = every record: the usage chunk is written, `[DONE]` never is, the connection stays open.
      server.enqueue({ payloads: chat.payloads, stallAfter: chat.payloads.length });
      const adapter = createOpenAIAdapter({
        transport,
        apiKey: 'sk-test-key-1234',
        baseURL: `${server.url}/v1`,
      });
      const events = await run(adapter, 'openai', { idleMs: 10_000 });
      expect(events.at(-1)).toMatchObject({
        type: 'finish',
        content: 'Hello, world!',
        usage: chat.expected.usage,
      });
      await server.waitForClientClose();
    });

    it('keeps waiting for [DONE] when the service sends no usage, and estimates it', async () => {
      server.enqueue({ payloads: chat.payloads.slice(0, -1) });
      const adapter = createOpenAIAdapter({
        transport,
        apiKey: 'sk-test-key-1234',
        baseURL: `${server.url}/v1`,
      });
      const finish = (await run(adapter)).at(-1) as FinishEvent;
      expect(finish).toMatchObject({ type: 'finish', content: 'Hello, world!', usage: { estimated: true } });
    });
  });

  const responseOf = (status: string, extra: Record<string, unknown> = {}) => ({
    id: 'resp_1',
    model: 'gpt-test',
    status,
    output: [],
    ...extra,
  });
  const created = { type: 'response.created', response: responseOf('in_progress') };
  const textDelta = {
    type: 'response.output_text.delta',
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    delta: 'Hi!',
  };

  describe('Responses API: the terminal event ends the stream even if the server holds the connection open', () => {
    const responsesAdapter = () =>
      createOpenAIAdapter({
        transport,
        apiKey: 'sk-test-key-1234',
        baseURL: `${server.url}/v1`,
        api: 'responses',
      });

    it('finishes at response.incomplete with its reason', async () => {
      const incomplete = {
        type: 'response.incomplete',
        response: responseOf('incomplete', { incomplete_details: { reason: 'max_output_tokens' } }),
      };
      server.enqueue({ payloads: [created, textDelta, incomplete], holdOpen: true });
      const events = await run(responsesAdapter(), 'openai', { idleMs: 10_000 });
      expect(events.at(-1)).toMatchObject({ type: 'finish', content: 'Hi!', reason: 'length' });
      await server.waitForClientClose();
    });

    it('ends with the error of response.failed and closes the connection', async () => {
      const failed = {
        type: 'response.failed',
        response: responseOf('failed', { error: { code: 'server_error', message: 'The model crashed.' } }),
      };
      server.enqueue({ payloads: [created, textDelta, failed], holdOpen: true });
      const error = lastError(await run(responsesAdapter(), 'openai', { idleMs: 10_000 }));
      expect(error).toMatchObject({ code: 'server' });
      expect(error.message).toContain('The model crashed.');
      await server.waitForClientClose();
    });
  });

  describe('the credentials of a client passed in are registered as secrets', () => {
    it.each([
      [
        'its apiKey',
        () => new OpenAI({ apiKey: 'own-client-key-7f3e', baseURL: `${server.url}/v1` }),
        'own-client-key-7f3e',
      ],
      [
        'a credential header of its defaultHeaders',
        () =>
          new OpenAI({
            apiKey: 'own-client-key-7f3e',
            baseURL: `${server.url}/v1`,
            defaultHeaders: { 'x-gateway-token': 'gateway-token-51ac' },
          }),
        'gateway-token-51ac',
      ],
      [
        'the key its apiKey function resolves per request',
        () => new OpenAI({ apiKey: async () => 'resolved-key-9b2d', baseURL: `${server.url}/v1` }),
        'resolved-key-9b2d',
      ],
      [
        'the api-key of an AzureOpenAI client',
        () =>
          new AzureOpenAI({
            apiKey: 'azure-client-key-c4d8',
            endpoint: server.url,
            apiVersion: '2024-10-21',
          }),
        'azure-client-key-c4d8',
      ],
    ])('%s: never found from the error of a 401 that echoes it', async (_name, makeClient, secret) => {
      // OpenAI's own 401 quotes the bare key; the echoed headers carry it as sent.
      const errorBody = {
        error: { message: `Incorrect API key provided: ${secret}.`, code: 'invalid_api_key' },
      };
      server.enqueue({ status: 401, echoCredentials: true, errorBody });
      const error = lastError(await run(createOpenAIAdapter({ transport, client: makeClient() })));
      expect(error.code).toBe('authentication');
      // The echo reached the client: otherwise this test would prove nothing.
      expect(Object.values(server.requests[0]?.headers ?? {}).join(' ')).toContain(secret);
      expect(error.cause).toMatchObject({ status: 401 });
      expect(findSecrets(error, [secret])).toEqual([]);
    });
  });

  describe('error messages quote a response body only as an excerpt', () => {
    it("names a proxy's HTML page by its title and copies none of it", async () => {
      server.enqueue({
        status: 502,
        echoCredentials: true,
        errorBody: `<html><head><title>502 Bad Gateway</title></head><body><pre>{{credentials}}</pre>${'<p>filler</p>'.repeat(500)}</body></html>`,
      });
      const adapter = createOpenAIAdapter({
        transport,
        apiKey: 'html-page-key-0e1f',
        baseURL: `${server.url}/v1`,
      });
      const error = lastError(await run(adapter));
      expect(error).toMatchObject({ code: 'server', status: 502 });
      expect(error.message).toBe('The openai API answered 502 an HTML page (title "502 Bad Gateway")');
      expect(findSecrets(error, ['html-page-key-0e1f'])).toEqual([]);
    });
  });

  describe('credentials in a base URL are refused without echoing the password', () => {
    const password = 'hunter2-password';
    const credentialed = (url: string) => url.replace('http://', `http://admin:${password}@`);

    function expectRefused(events: StreamEvent[], names: string): void {
      expect(events.map((event) => event.type)).toEqual(['error']);
      const error = lastError(events);
      expect(error.code).toBe('configuration');
      expect(error.message).toContain(names);
      expect(error.message).toContain('must not carry credentials');
      expect(findSecrets(error, [password])).toEqual([]);
      expect(server.requests).toEqual([]);
    }

    it('in the baseURL setting', async () => {
      const adapter = createOpenAIAdapter({
        transport,
        apiKey: 'sk-test-key-1234',
        baseURL: credentialed(`${server.url}/v1`),
      });
      expectRefused(await run(adapter), 'baseURL');
    });

    it("in Azure's endpoint setting", async () => {
      const adapter = createAdapter({
        transport,
        provider: 'azure',
        apiKey: 'azure-key-123456',
        apiVersion: '2024-10-21',
        endpoint: credentialed(server.url),
      });
      expectRefused(await run(adapter, 'azure'), 'endpoint');
    });

    it('in OPENAI_BASE_URL and AZURE_OPENAI_ENDPOINT', async () => {
      vi.stubEnv('OPENAI_BASE_URL', credentialed(`${server.url}/v1`));
      expectRefused(
        await run(createOpenAIAdapter({ transport, apiKey: 'sk-test-key-1234' })),
        'OPENAI_BASE_URL',
      );
      vi.stubEnv('AZURE_OPENAI_ENDPOINT', credentialed(server.url));
      const azure = createAdapter({
        transport,
        provider: 'azure',
        apiKey: 'azure-key-123456',
        apiVersion: '2024-10-21',
      });
      expectRefused(await run(azure, 'azure'), 'AZURE_OPENAI_ENDPOINT');
    });

    it('in the baseURL of a client passed in', async () => {
      const client = new OpenAI({ apiKey: 'sk-test-key-1234', baseURL: credentialed(`${server.url}/v1`) });
      expectRefused(await run(createOpenAIAdapter({ transport, client })), 'client');
    });
  });
});
