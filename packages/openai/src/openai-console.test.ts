import { createTokenwire, type ErrorEvent } from '@tokenwire/core';
import { collect, openaiChatScenarios } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOpenAIAdapter } from './openai-adapter.js';

describe("the SDK's console lines for a malformed record", () => {
  const server = useReplayServer();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(['sdk', 'direct'] as const)(
    'stay off the console on the %s transport: the error event says it',
    async (transport) => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const [first] = openaiChatScenarios.text.payloads;
      server.enqueue({ payloads: [first, '{"choices": [{"delta": {"content": "cut'] });
      const adapter = createOpenAIAdapter({
        apiKey: 'sk-console-test',
        baseURL: `${server.url}/v1`,
        transport,
      });
      const tokenwire = createTokenwire({ providers: { openai: adapter }, retries: 0 });
      const events = await collect(
        tokenwire.stream({ model: 'openai/test-model', messages: [{ role: 'user', content: 'Hi' }] }),
      );
      expect((events.at(-1) as ErrorEvent).error.code).toBe('invalid_response');
      expect(errors).not.toHaveBeenCalled();
    },
  );
});
