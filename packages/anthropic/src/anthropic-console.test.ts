import { createTokenwire, type ErrorEvent } from '@tokenwire/core';
import { collect, encodeRecord } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import { events } from './anthropic-events.test-helpers.js';

const { messageStart, blockStart, text } = events;

describe("the SDK's console lines for a malformed record", () => {
  const server = useReplayServer();
  beforeEach(() => {
    // Every record named, as the API frames it: the SDK parses only named records.
    server.addWireFormat({
      name: 'anthropic-named',
      path: '/v1/messages',
      encodeRecord: (payload) =>
        typeof payload === 'string'
          ? `event: content_block_delta\ndata: ${payload}\n\n`
          : encodeRecord('anthropic', payload),
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(['sdk', 'direct'] as const)(
    'stay off the console on the %s transport: the error event says it',
    async (transport) => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const cut = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"and';
      server.enqueue({
        payloads: [messageStart(), blockStart(0, { type: 'text', text: '' }), text(0, 'Hi'), cut],
      });
      const adapter = createAnthropicAdapter({
        apiKey: 'sk-ant-console-test',
        baseURL: server.url,
        transport,
      });
      const tokenwire = createTokenwire({ providers: { anthropic: adapter }, retries: 0 });
      const streamed = await collect(
        tokenwire.stream({ model: 'anthropic/claude-test-1', messages: [{ role: 'user', content: 'Hi' }] }),
      );
      expect((streamed.at(-1) as ErrorEvent).error.code).toBe('invalid_response');
      expect(errors).not.toHaveBeenCalled();
    },
  );

  it('keep a logger the client options name', async () => {
    const logged: string[] = [];
    const logger = { error: (message: string) => logged.push(message), warn() {}, info() {}, debug() {} };
    const cut = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"and';
    server.enqueue({ payloads: [messageStart(), cut] });
    const adapter = createAnthropicAdapter({
      apiKey: 'sk-ant-console-test',
      baseURL: server.url,
      transport: 'sdk',
      clientOptions: { logger },
    });
    const tokenwire = createTokenwire({ providers: { anthropic: adapter }, retries: 0 });
    await collect(
      tokenwire.stream({ model: 'anthropic/claude-test-1', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(logged).toContain('Could not parse message into JSON:');
  });
});
