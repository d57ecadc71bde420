import { createTokenwire, type StreamEvent } from '@tokenwire/core';
import { collect, findInvariantViolations } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { createOpenAIAdapter } from './openai-adapter.js';
import { CHAT_FIXTURE_EXPECTATIONS, concatenatedDeltas } from './openai-chat.fixtures.test-helpers.js';
import {
  fixtureNames,
  readFixturePayloads,
  recordedTools,
  splitResponses,
} from './openai-fixtures.test-helpers.js';
import { expectedTexts, RESPONSES_FIXTURE_EXPECTATIONS } from './openai-responses.fixtures.test-helpers.js';

// Every recorded stream, replayed over HTTP through the real `openai` SDK, this adapter and the
// tokenwire runtime: what a user of `createTokenwire` would receive.

type Transport = 'direct' | 'sdk';
/** Each recording goes through both transports: the SDK reading the body, and tokenwire reading it. */
const TRANSPORTS: Transport[] = ['sdk', 'direct'];

const server = useReplayServer({ per: 'file' });

/**
 * Replays one recorded response. A Responses API request declares the tools the recording echoes
 * (through `providerOptions.openai.tools`, as recorded), so that its custom tools are the caller's.
 */
async function replay(
  payloads: unknown[],
  api: 'chat' | 'responses',
  transport: Transport,
): Promise<StreamEvent[]> {
  server.enqueue({ payloads });
  const adapter = createOpenAIAdapter({
    apiKey: 'sk-replay-test-key',
    baseURL: `${server.url}/v1`,
    api,
    transport,
  });
  const tokenwire = createTokenwire({ providers: { openai: adapter }, retries: 0 });
  const tools = api === 'responses' ? recordedTools(payloads) : undefined;
  const events = await collect(
    tokenwire.stream({
      model: 'openai/requested-model',
      messages: [{ role: 'user', content: 'Hi' }],
      ...(tools === undefined ? {} : { providerOptions: { openai: { tools } } }),
    }),
  );
  expect(findInvariantViolations(events)).toEqual([]);
  return events;
}

/** The observable parts of a stream: joined deltas, completed tool calls and the terminal event. */
function summarize(events: StreamEvent[]) {
  let tokens = '';
  let reasoning = '';
  const completed: Array<{ id: string; name: string; input: unknown }> = [];
  for (const event of events) {
    if (event.type === 'token') tokens += event.content;
    else if (event.type === 'reasoning') reasoning += event.content;
    else if (event.type === 'tool_call_complete')
      completed.push({ id: event.id, name: event.name, input: event.input });
  }
  return { tokens, reasoning, completed, first: events[0], last: events.at(-1) };
}

const chatFixtures = [
  ...fixtureNames('openai-chat').map((name) => `openai-chat/${name}`),
  ...fixtureNames('openai-chat-compatible').map((name) => `openai-chat-compatible/${name}`),
];

describe.each(TRANSPORTS)(
  'recorded Chat Completions streams through the runtime (transport %s)',
  (transport) => {
    it.each(chatFixtures)('replays %s', async (path) => {
      const { payloads } = readFixturePayloads(path);
      const expected = CHAT_FIXTURE_EXPECTATIONS[path];
      const { content, reasoning } = concatenatedDeltas(payloads);
      const {
        tokens,
        reasoning: reasoningDeltas,
        completed,
        first,
        last,
      } = summarize(await replay(payloads, 'chat', transport));

      expect(first).toEqual({
        type: 'start',
        provider: 'openai',
        model: expected?.model,
        responseId: expected?.responseId,
      });
      expect(tokens).toBe(content);
      expect(reasoningDeltas).toBe(reasoning);
      expect(completed).toEqual(expected?.toolCalls.map(({ id, name, input }) => ({ id, name, input })));
      expect(last?.type).toBe('finish');
      if (last?.type !== 'finish') return;
      expect({
        content: last.content,
        reason: last.reason,
        rawReason: last.rawReason,
        usage: last.usage,
      }).toEqual({
        content,
        reason: expected?.reason,
        rawReason: expected?.rawReason,
        usage: expected?.usage,
      });
      expect(last.toolCalls).toEqual(expected?.toolCalls);
    });
  },
);

describe.each(TRANSPORTS)(
  'recorded Responses API streams through the runtime (transport %s)',
  (transport) => {
    const cases = fixtureNames('openai-responses').flatMap((name) => {
      const responses = splitResponses(readFixturePayloads(`openai-responses/${name}`).payloads);
      return responses.map((payloads, index) => ({ label: `${name} #${index + 1}`, name, index, payloads }));
    });

    it.each(cases)('replays $label', async ({ name, index, payloads }) => {
      const expected = RESPONSES_FIXTURE_EXPECTATIONS[name]?.responses[index];
      const events = await replay(payloads, 'responses', transport);
      const { tokens, reasoning, completed, first, last } = summarize(events);

      if (expected?.outcome === 'error') {
        expect(last).toMatchObject({
          type: 'error',
          error: { code: expected.code, retryable: expected.retryable, provider: 'openai' },
          partial: { toolCalls: expected.toolCalls },
        });
        return;
      }
      const texts = expectedTexts(payloads);
      expect(first).toEqual({
        type: 'start',
        provider: 'openai',
        model: expected?.model,
        responseId: expected?.responseId,
      });
      expect(tokens).toBe(texts.content);
      expect(reasoning).toBe(texts.reasoning);
      expect(completed).toEqual(expected?.toolCalls.map(({ id, name, input }) => ({ id, name, input })));
      expect(last?.type).toBe('finish');
      if (last?.type !== 'finish') return;
      expect({
        content: last.content,
        contentLength: last.content.length,
        reason: last.reason,
        rawReason: last.rawReason,
        usage: last.usage,
      }).toEqual({
        content: texts.content,
        contentLength: expected?.contentLength,
        reason: expected?.reason,
        rawReason: expected?.rawReason,
        usage: expected?.usage,
      });
      expect(last.toolCalls).toEqual(expected?.toolCalls);
    });
  },
);
