import { describe, expect, it } from 'vitest';
import { anthropicScenarios } from './scenarios/anthropic.js';
import { geminiScenarios } from './scenarios/gemini.js';
import { ollamaScenarios } from './scenarios/ollama.js';
import { openaiChatScenarios } from './scenarios/openai-chat.js';
import { openaiResponsesScenarios } from './scenarios/openai-responses.js';
import type { ConformanceScenarios } from './scenarios/scenario-types.js';
import { messageOf, type SdkClient, sdkClients, textOf } from './sdk-clients.test-helpers.js';
import { useReplayServer } from './use-replay-server.js';
import type { WireProtocol } from './wire-formats.js';

// Every fault of the replay server, against every real vendor SDK. What each SDK does with a
// fault is VENDOR-NOTES.md §3; these tests pin it for the installed versions.

const scenariosOf: Record<WireProtocol, ConformanceScenarios> = {
  'openai-chat': openaiChatScenarios,
  'openai-responses': openaiResponsesScenarios,
  anthropic: anthropicScenarios,
  gemini: geminiScenarios,
  ollama: ollamaScenarios,
};

/** How each SDK reacts where they differ (VENDOR-NOTES.md §3). */
const behaviour: Record<
  string,
  {
    /** Records of the text scenario that reach the caller as chunks (Anthropic's SDK drops `ping`). */
    droppedRecords: number;
    abortThrows: boolean;
    /** Throws on a clean end before the terminal record (only ollama notices). */
    truncationThrows: boolean;
    /** Throws on the in-band error record (the legacy Google SDK yields it as a chunk). */
    inBandErrorThrows: boolean;
    /** Parses SSE comment lines (the legacy Google SDK fails with "Failed to parse stream"). */
    parsesComments: boolean;
  }
> = {
  'openai chat.completions': {
    droppedRecords: 0,
    abortThrows: false,
    truncationThrows: false,
    inBandErrorThrows: true,
    parsesComments: true,
  },
  'openai responses': {
    droppedRecords: 0,
    abortThrows: false,
    truncationThrows: false,
    inBandErrorThrows: true,
    parsesComments: true,
  },
  'anthropic messages': {
    droppedRecords: 1,
    abortThrows: false,
    truncationThrows: false,
    inBandErrorThrows: true,
    parsesComments: true,
  },
  '@google/generative-ai': {
    droppedRecords: 0,
    abortThrows: true,
    truncationThrows: false,
    inBandErrorThrows: false,
    parsesComments: false,
  },
  '@google/genai': {
    droppedRecords: 0,
    abortThrows: true,
    truncationThrows: false,
    inBandErrorThrows: true,
    parsesComments: true,
  },
  ollama: {
    droppedRecords: 0,
    abortThrows: true,
    truncationThrows: true,
    inBandErrorThrows: true,
    parsesComments: true,
  },
};

/** The HTTP status an SDK error carries (ollama calls it status_code). */
function statusOf(error: unknown): unknown {
  const fields = error as { status?: unknown; status_code?: unknown } | undefined;
  return fields?.status ?? fields?.status_code;
}

const server = useReplayServer();

describe.each(sdkClients)('$name against the replay server', (client: SdkClient) => {
  const scenarios = scenariosOf[client.protocol];
  const { text, unicode } = scenarios;
  const expectations = behaviour[client.name] as (typeof behaviour)[string];

  it('streams a scripted response and records the request', async () => {
    server.enqueue({ payloads: text.payloads });
    const run = await client.run(server.url);
    expect(run.error).toBeUndefined();
    expect(run.chunks).toHaveLength(text.payloads.length - expectations.droppedRecords);
    expect(textOf(client, run)).toBe(text.expected.content);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', protocol: client.protocol });
  });

  it('decodes a body cut inside every multi-byte UTF-8 character', async () => {
    server.enqueue({ payloads: unicode.payloads, split: 'inside-characters' });
    const run = await client.run(server.url);
    expect(run.error).toBeUndefined();
    expect(textOf(client, run)).toBe(unicode.expected.content);
  });

  it('decodes a body cut at random boundaries', async () => {
    server.enqueue({ payloads: text.payloads, split: 'random' });
    const run = await client.run(server.url);
    expect(run.error).toBeUndefined();
    expect(textOf(client, run)).toBe(text.expected.content);
  });

  it('pauses between records', async () => {
    server.enqueue({ payloads: unicode.payloads, delayMs: 60 });
    const started = performance.now();
    const run = await client.run(server.url);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50 * (unicode.payloads.length - 1));
    expect(textOf(client, run)).toBe(unicode.expected.content);
  });

  it('stalls until the client aborts, and notices that the client closed the connection', async () => {
    server.enqueue({ payloads: text.payloads, stallAfter: text.cut.after });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const run = await client.run(server.url, controller.signal);
    expect(textOf(client, run)).toBe(text.cut.content);
    expect(run.error !== undefined).toBe(expectations.abortThrows);
    await server.waitForClientClose();
    expect(server.closedByClient).toBe(1);
  });

  it('destroys the socket mid-stream: the SDK fails with what arrived', async () => {
    server.enqueue({ payloads: text.payloads, destroyAfter: text.cut.after });
    const run = await client.run(server.url);
    expect(textOf(client, run)).toBe(text.cut.content);
    expect(messageOf(run.error)).toMatch(/terminated|Error reading from the stream/);
    expect(server.closedByClient).toBe(0);
  });

  it('ends cleanly before the terminal record', async () => {
    server.enqueue({ payloads: text.payloads, endAfter: text.cut.after });
    const run = await client.run(server.url);
    expect(textOf(client, run)).toBe(text.cut.content);
    if (expectations.truncationThrows) expect(messageOf(run.error)).toMatch(/Did not receive done/);
    else expect(run.error).toBeUndefined();
  });

  it.each([401, 429, 500, 529])(
    'answers HTTP %i with the vendor error and headers, without retries',
    async (status) => {
      server.enqueue({ status, headers: { 'retry-after': '1' } });
      const run = await client.run(server.url);
      expect(statusOf(run.error)).toBe(status);
      expect(run.chunks).toEqual([]);
      expect(server.requests).toHaveLength(1);
      const headers = (run.error as { headers?: unknown }).headers;
      // only the openai and anthropic SDKs expose the response headers
      if (headers instanceof Headers) expect(headers.get('retry-after')).toBe('1');
    },
  );

  it('sends the in-band error record', async () => {
    server.enqueue({
      payloads: text.payloads,
      inBandError: { after: text.cut.after, message: 'Overloaded now' },
    });
    const run = await client.run(server.url);
    expect(textOf(client, run)).toBe(text.cut.content);
    if (expectations.inBandErrorThrows) expect(messageOf(run.error)).toContain('Overloaded now');
    else expect(JSON.stringify(run.chunks.at(-1))).toContain('Overloaded now');
  });

  it('sends SSE keep-alive comments', async () => {
    server.enqueue({ payloads: text.payloads, keepAlive: true });
    const run = await client.run(server.url);
    if (expectations.parsesComments) {
      expect(run.error).toBeUndefined();
      expect(textOf(client, run)).toBe(text.expected.content);
    } else expect(messageOf(run.error)).toMatch(/Failed to parse stream/);
  });

  it('plays per-call sequences: 429 first, then the stream', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '0' } }, { payloads: text.payloads });
    const first = await client.run(server.url);
    const second = await client.run(server.url);
    expect(statusOf(first.error)).toBe(429);
    expect(textOf(client, second)).toBe(text.expected.content);
    expect(server.requests).toHaveLength(2);
  });
});
