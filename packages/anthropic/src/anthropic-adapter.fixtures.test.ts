import { createTokenwire, type FinishEvent, type StreamEvent } from '@tokenwire/core';
import { collect, createReplayServer, type ReplayScript, type ReplayServer } from '@tokenwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import {
  concatenatedDeltas,
  fixtureResponses,
  fixtureSignatures,
  fixtureUrl,
} from './anthropic-events.test-helpers.js';
import type { AnthropicStreamEvent } from './anthropic-stream.js';

// Every recorded stream under ../shared/fixtures/anthropic, replayed over HTTP through the real
// @anthropic-ai/sdk, this adapter and the core runtime: what a user of tokenwire would see.
// A file that holds several responses (several message_start … message_stop) is replayed as the
// responses it holds, one request each: a stream ends at its message_stop.

let server: ReplayServer;
// Who reads the body: every test below runs on both transports (set by each block's beforeAll).
let transport: 'sdk' | 'direct' = 'sdk';
beforeAll(async () => {
  server = await createReplayServer();
});
afterAll(async () => {
  await server.close();
});

async function replay(file: string, script: Omit<ReplayScript, 'fixture'> = {}): Promise<StreamEvent[]> {
  return replayScript({ fixture: fixtureUrl(file), ...script });
}

async function replayScript(script: ReplayScript): Promise<StreamEvent[]> {
  server.enqueue(script);
  const tokenwire = createTokenwire({
    providers: { anthropic: createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key', transport }) },
    retries: 0,
    // A stream that did not end at message_stop would wait for a server that holds the connection open.
    timeouts: { idleMs: 5_000 },
  });
  return collect(
    tokenwire.stream({ model: 'anthropic/claude-test-1', messages: [{ role: 'user', content: 'Hi' }] }),
  );
}

/** Each response of a file replayed as its own request, the server holding every connection open after it. */
async function replayResponses(file: string): Promise<Array<ReturnType<typeof outcome>>> {
  const outcomes: Array<ReturnType<typeof outcome>> = [];
  for (const payloads of fixtureResponses(file)) {
    outcomes.push(outcome(await replayScript({ payloads, holdOpen: true })));
  }
  return outcomes;
}

/** The parts of a finished stream the expectations below name. */
function outcome(events: StreamEvent[]) {
  const finish = events.at(-1) as FinishEvent;
  expect(finish.type, JSON.stringify(finish)).toBe('finish');
  const tokens = events.flatMap((event) => (event.type === 'token' ? [event.content] : []));
  expect(tokens.join('')).toBe(finish.content); // the text is the concatenated text deltas
  return {
    content: finish.content,
    reasoning: finish.reasoning,
    signatures: events.flatMap((event) =>
      event.type === 'reasoning' && event.signature ? [event.signature] : [],
    ),
    toolCalls: finish.toolCalls.map(({ id, name, input }) => ({ id, name, input })),
    reason: finish.reason,
    rawReason: finish.rawReason,
    usage: finish.usage,
    responseId: finish.responseId,
  };
}

const usage = (inputTokens: number, outputTokens: number, cached = true) => ({
  inputTokens,
  outputTokens,
  totalTokens: inputTokens + outputTokens,
  ...(cached ? { cachedInputTokens: 0, cacheWriteTokens: 0 } : {}),
  estimated: false,
});
const jsonToolCall = {
  id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
  name: 'json',
  input: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] },
};
const noTools = { toolCalls: [] };

/** The concatenated text deltas of one response's events. */
function textOf(events: AnthropicStreamEvent[]): string {
  return events
    .map((event) =>
      event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '',
    )
    .join('');
}

const expectations: Record<string, Partial<ReturnType<typeof outcome>>> = {
  'anthropic-text.chunks.txt': {
    content:
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    ...noTools,
    reason: 'stop',
    rawReason: 'end_turn',
    usage: usage(12, 30),
    responseId: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
  },
  'anthropic-json-tool.1.chunks.txt': {
    content: '',
    toolCalls: [jsonToolCall],
    reason: 'tool_calls',
    rawReason: 'tool_use',
    usage: usage(849, 47),
  },
  'anthropic-json-tool.2.chunks.txt': {
    content: "I'll invoke the JSON response tool.",
    toolCalls: [jsonToolCall],
    reason: 'tool_calls',
    rawReason: 'tool_use',
  },
  'anthropic-json-other-tool.1.chunks.txt': {
    toolCalls: [
      { id: 'toolu_019Zvehfe1XQWweT1pm7okyt', name: 'weather', input: { location: 'San Francisco' } },
    ],
    reason: 'tool_calls',
    rawReason: 'tool_use',
    usage: usage(843, 28),
  },
  'anthropic-refusal.chunks.txt': {
    content: '',
    ...noTools,
    reason: 'content_filter',
    rawReason: 'refusal',
    usage: usage(18, 5),
  },
  'anthropic-clear-thinking.1.chunks.txt': {
    reasoning: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
    signatures: fixtureSignatures('anthropic-clear-thinking.1.chunks.txt'),
    content: '925 ÷ 5 = 185',
    reason: 'stop',
    rawReason: 'end_turn',
    usage: usage(69, 53),
  },
  'anthropic-combined-context-editing.1.chunks.txt': {
    reasoning: concatenatedDeltas('anthropic-combined-context-editing.1.chunks.txt', 'thinking_delta'),
    signatures: fixtureSignatures('anthropic-combined-context-editing.1.chunks.txt'),
    content: concatenatedDeltas('anthropic-combined-context-editing.1.chunks.txt', 'text_delta'),
    reason: 'stop',
    usage: usage(50, 485),
  },
  'anthropic-web-search-tool.1.chunks.txt': {
    content: concatenatedDeltas('anthropic-web-search-tool.1.chunks.txt', 'text_delta'),
    ...noTools,
    reason: 'stop',
    usage: usage(15665, 795),
  },
  'anthropic-web-fetch-tool.1.chunks.txt': {
    content: concatenatedDeltas('anthropic-web-fetch-tool.1.chunks.txt', 'text_delta'),
    ...noTools,
    reason: 'stop',
    usage: usage(4230, 446),
  },
  'anthropic-mcp.1.chunks.txt': {
    content:
      'The echo tool responded back with: **hello world**\n\nIt simply echoed back the exact message that was sent to it.',
    ...noTools,
    reason: 'stop',
    usage: usage(1250, 83),
  },
  'anthropic-code-execution-20250825.1.chunks.txt': {
    content: concatenatedDeltas('anthropic-code-execution-20250825.1.chunks.txt', 'text_delta'),
    ...noTools,
    reason: 'stop',
    usage: usage(8050, 771),
  },
  'anthropic-fallback.chunks.txt': {
    content: 'The printing press was invented by Johannes Gutenberg around 1440.',
    reason: 'stop',
    usage: usage(412, 264),
  },
  'anthropic-advisor-stop-reasons.chunks.txt': {
    content: '',
    ...noTools,
    reason: 'stop',
    rawReason: 'end_turn',
    usage: usage(10, 20),
  },
  'duplicate-message-start.chunks.txt': {
    content: 'Hello, World!',
    reason: 'stop',
    usage: usage(17, 227, false),
    responseId: 'msg_dup',
  },
};

describe.each(['sdk', 'direct'] as const)(
  'the Anthropic fixtures replayed through @anthropic-ai/sdk, the adapter and the runtime (transport %s)',
  (current) => {
    beforeAll(() => {
      transport = current;
    });
    for (const [file, expected] of Object.entries(expectations)) {
      it(`replays ${file}`, async () => {
        const actual = outcome(await replay(file));
        expect(
          Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key as keyof typeof actual]])),
        ).toEqual(expected);
      });
    }

    it('replays anthropic-tool-search-bm25.1.chunks.txt as its two responses: the tool call, then the answer', async () => {
      const file = 'anthropic-tool-search-bm25.1.chunks.txt';
      const [call, answer, ...more] = await replayResponses(file);
      const texts = fixtureResponses(file).map(textOf);
      expect(more).toEqual([]);
      expect(call).toMatchObject({
        content: texts[0],
        toolCalls: [
          {
            id: 'toolu_019nRrfqqXcU5NPTUSYfEMAY',
            name: 'get_weather',
            input: { location: 'San Francisco, CA' },
          },
        ],
        reason: 'tool_calls',
        rawReason: 'tool_use',
        usage: usage(1630, 158),
        responseId: 'msg_011bqgzot9grwdetCByUmXRP',
      });
      expect(answer).toMatchObject({
        content: texts[1],
        toolCalls: [],
        reason: 'stop',
        rawReason: 'end_turn',
        usage: usage(1040, 41),
        responseId: 'msg_0132hQ7tpsGJhdPtEBhmKA2R',
      });
      expect(`${call?.content}${answer?.content}`).toBe(concatenatedDeltas(file, 'text_delta'));
    });

    it('replays anthropic-programmatic-tool-calling.1.chunks.txt as its 15 responses: 14 client tool calls, then the answer', async () => {
      const file = 'anthropic-programmatic-tool-calling.1.chunks.txt';
      const outcomes = await replayResponses(file);
      const first = outcomes[0];
      const last = outcomes.at(-1);
      // 13 responses in between, each a message that arrives whole with one tool call made by the code
      const prefilled = outcomes.slice(1, -1);
      expect(outcomes).toHaveLength(15);
      expect(first).toMatchObject({
        content: textOf(fixtureResponses(file)[0] ?? []),
        toolCalls: [{ id: 'toolu_019jKkXz4jAdwHweHBw92CVY', name: 'rollDie', input: { player: 'player1' } }],
        reason: 'tool_calls',
        rawReason: 'tool_use',
        usage: usage(3369, 725),
      });
      expect(
        prefilled.map(({ content, toolCalls, reason, rawReason }) => ({
          content,
          calls: toolCalls.length,
          reason,
          rawReason,
        })),
      ).toEqual(Array(13).fill({ content: '', calls: 1, reason: 'tool_calls', rawReason: 'tool_use' }));
      expect(last).toMatchObject({
        toolCalls: [],
        reason: 'stop',
        rawReason: 'end_turn',
        usage: usage(4551, 197),
      });
      const calls = outcomes.flatMap((response) => response.toolCalls);
      expect({
        content: outcomes.map((response) => response.content).join(''),
        toolCallCount: calls.length,
        last: calls.at(-1),
        names: [...new Set(calls.map((call) => call.name))],
        players: calls.map((call) => (call.input as { player: string }).player),
      }).toEqual({
        content: concatenatedDeltas(file, 'text_delta'),
        toolCallCount: 14,
        last: { id: 'toolu_01QcWWQcQ1pd7nx9xohX4zAr', name: 'rollDie', input: { player: 'player2' } },
        names: ['rollDie'],
        players: Array.from({ length: 14 }, (_, index) => `player${(index % 2) + 1}`),
      });
    });

    it('ends a response that goes on after message_stop at the message_stop: what follows is not its own', async () => {
      const actual = outcome(await replay('anthropic-programmatic-tool-calling.1.chunks.txt'));
      expect({
        responseId: actual.responseId,
        calls: actual.toolCalls.length,
        rawReason: actual.rawReason,
      }).toEqual({
        responseId: 'msg_01ERcBqAvLTHWQDk9c9qJLWC',
        calls: 1,
        rawReason: 'tool_use',
      });
    });

    it('ends spliced-message-start.chunks.txt with an invalid_response error that keeps the first message', async () => {
      const events = await replay('spliced-message-start.chunks.txt');
      const last = events.at(-1);
      expect(last?.type).toBe('error');
      if (last?.type !== 'error') return;
      expect({
        code: last.error.code,
        reasoning: last.partial.reasoning,
        toolCalls: last.partial.toolCalls,
      }).toEqual({
        code: 'invalid_response',
        reasoning: 'I will call the tool.',
        toolCalls: [{ id: 'toolu_first', name: 'test-tool', arguments: '{"value":"Spark' }],
      });
    });

    it('replays a thinking fixture cut at random byte boundaries, inside multi-byte characters too', async () => {
      const actual = outcome(
        await replay('anthropic-clear-thinking.1.chunks.txt', { split: { min: 1, max: 9, seed: 5 } }),
      );
      expect({ content: actual.content, reasoning: actual.reasoning }).toEqual({
        content: '925 ÷ 5 = 185',
        reasoning: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
      });
    });

    it('covers every fixture file', async () => {
      const { readdir } = await import('node:fs/promises');
      const files = (await readdir(fixtureUrl(''))).filter((name) => name.endsWith('.chunks.txt'));
      expect(files.sort()).toEqual(
        [
          ...Object.keys(expectations),
          'anthropic-programmatic-tool-calling.1.chunks.txt',
          'anthropic-tool-search-bm25.1.chunks.txt',
          'spliced-message-start.chunks.txt',
        ].sort(),
      );
    });
  },
);
