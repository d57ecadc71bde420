import { readdirSync } from 'node:fs';
import { TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import {
  anthropicFixture,
  concatenatedDeltas,
  fixtureSignatures,
  fixtureUrl,
  summarize,
  translateAll,
} from './anthropic-events.test-helpers.js';

// Every recorded stream under ../shared/fixtures/anthropic, fed to the pure translator.
// The end-to-end replay of the same files through the real SDK is in anthropic-adapter.fixtures.test.ts.

const noCache = { cachedInputTokens: 0, cacheWriteTokens: 0 };
const programmaticToolCallIds = [
  'toolu_019jKkXz4jAdwHweHBw92CVY',
  'toolu_015dGLMbwBKv1ZRQr6KdJzeH',
  'toolu_01YYqBNq5mk1wMtv3PAqY44m',
  'toolu_018WxjDkQG8h7i63poySGT2x',
  'toolu_014ch4D3vbx928ddwxMvMvF1',
  'toolu_01QtZ46GWS93Z5ZaSifgGNnq',
  'toolu_012Zvp8FdgvjVGkmbHSU4EZk',
  'toolu_01CMz8Jhv6EfnzHQzEMdpHut',
  'toolu_01PfH6ADzq8Yct5jeRY9QkS2',
  'toolu_013DE3qaKvBMheZXUhwkvpdF',
  'toolu_01MTRMy9BEvFHWR7hpCWc4nJ',
  'toolu_01CXqv27ozPihE5nj6eA3Joc',
  'toolu_01K6ST6orjmPHHwM8rwLj1n9',
  'toolu_01QcWWQcQ1pd7nx9xohX4zAr',
];

describe('translateAnthropicEvent over the recorded fixtures', () => {
  it('covers every fixture file', () => {
    const files = readdirSync(fixtureUrl('')).filter((name) => name.endsWith('.chunks.txt'));
    expect(files.sort()).toEqual([...Object.keys(expectations), 'spliced-message-start.chunks.txt'].sort());
  });

  const expectations: Record<string, Partial<ReturnType<typeof summarize>>> = {
    'anthropic-text.chunks.txt': {
      text: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
      toolCalls: [],
      finishes: ['end_turn'],
      usage: { inputTokens: 12, ...noCache, outputTokens: 30 },
    },
    'anthropic-json-tool.1.chunks.txt': {
      text: '',
      toolCalls: [
        {
          id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
          name: 'json',
          arguments: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}',
        },
      ],
      finishes: ['tool_use'],
      usage: { inputTokens: 849, ...noCache, outputTokens: 47 },
    },
    'anthropic-json-tool.2.chunks.txt': {
      text: "I'll invoke the JSON response tool.",
      toolCalls: [
        {
          id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
          name: 'json',
          arguments: '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}',
        },
      ],
      finishes: ['tool_use'],
    },
    'anthropic-json-other-tool.1.chunks.txt': {
      toolCalls: [
        { id: 'toolu_019Zvehfe1XQWweT1pm7okyt', name: 'weather', arguments: '{"location": "San Francisco"}' },
      ],
      finishes: ['tool_use'],
      usage: { inputTokens: 843, ...noCache, outputTokens: 28 },
    },
    'anthropic-refusal.chunks.txt': {
      text: '',
      toolCalls: [],
      finishes: ['refusal'],
      usage: { inputTokens: 18, ...noCache, outputTokens: 5 },
    },
    'anthropic-clear-thinking.1.chunks.txt': {
      reasoning: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
      signatures: fixtureSignatures('anthropic-clear-thinking.1.chunks.txt'),
      text: '925 ÷ 5 = 185',
      finishes: ['end_turn'],
      usage: { inputTokens: 69, ...noCache, outputTokens: 53 },
    },
    'anthropic-combined-context-editing.1.chunks.txt': {
      reasoning: concatenatedDeltas('anthropic-combined-context-editing.1.chunks.txt', 'thinking_delta'),
      signatures: fixtureSignatures('anthropic-combined-context-editing.1.chunks.txt'),
      text: concatenatedDeltas('anthropic-combined-context-editing.1.chunks.txt', 'text_delta'),
      finishes: ['end_turn'],
      usage: { inputTokens: 50, ...noCache, outputTokens: 485 },
    },
    'anthropic-web-search-tool.1.chunks.txt': {
      text: concatenatedDeltas('anthropic-web-search-tool.1.chunks.txt', 'text_delta'),
      toolCalls: [], // web_search is a server tool: Anthropic ran it
      finishes: ['end_turn'],
      usage: { inputTokens: 15665, ...noCache, outputTokens: 795 },
    },
    'anthropic-web-fetch-tool.1.chunks.txt': {
      text: concatenatedDeltas('anthropic-web-fetch-tool.1.chunks.txt', 'text_delta'),
      toolCalls: [],
      finishes: ['end_turn'],
      usage: { inputTokens: 4230, ...noCache, outputTokens: 446 },
    },
    'anthropic-mcp.1.chunks.txt': {
      text: 'The echo tool responded back with: **hello world**\n\nIt simply echoed back the exact message that was sent to it.',
      toolCalls: [], // mcp_tool_use runs on Anthropic's side
      finishes: ['end_turn'],
      usage: { inputTokens: 1250, ...noCache, outputTokens: 83 },
    },
    'anthropic-code-execution-20250825.1.chunks.txt': {
      text: concatenatedDeltas('anthropic-code-execution-20250825.1.chunks.txt', 'text_delta'),
      toolCalls: [],
      finishes: ['end_turn'],
      usage: { inputTokens: 8050, ...noCache, outputTokens: 771 },
    },
    'anthropic-tool-search-bm25.1.chunks.txt': {
      toolCalls: [
        {
          id: 'toolu_019nRrfqqXcU5NPTUSYfEMAY',
          name: 'get_weather',
          arguments: '{"location": "San Francisco, CA"}',
        },
      ],
      finishes: ['tool_use', 'end_turn'],
      responseIds: ['msg_011bqgzot9grwdetCByUmXRP', 'msg_0132hQ7tpsGJhdPtEBhmKA2R'],
      // two messages: their counts are summed (1630 + 1040 in, 158 + 41 out)
      usage: { inputTokens: 2670, ...noCache, outputTokens: 199 },
    },
    'anthropic-programmatic-tool-calling.1.chunks.txt': {
      text: concatenatedDeltas('anthropic-programmatic-tool-calling.1.chunks.txt', 'text_delta'),
      toolCalls: programmaticToolCallIds.map((id, index) => ({
        id,
        name: 'rollDie',
        arguments: `{"player":"player${(index % 2) + 1}"}`,
      })),
      openToolCalls: 0,
      finishes: [...Array(14).fill('tool_use'), 'end_turn'],
      usage: { inputTokens: 3369 + 4551, ...noCache, outputTokens: 725 + 197 },
    },
    'anthropic-fallback.chunks.txt': {
      text: 'The printing press was invented by Johannes Gutenberg around 1440.',
      finishes: ['end_turn'],
      // The sum of the billed iterations: the fallback's 412 + 264; the declined hop (408 in, no
      // output) is not billed.
      usage: { inputTokens: 412, ...noCache, outputTokens: 264 },
    },
    'anthropic-advisor-stop-reasons.chunks.txt': {
      text: '',
      toolCalls: [],
      finishes: ['end_turn'],
      usage: { inputTokens: 10, ...noCache, outputTokens: 20 },
    },
    'duplicate-message-start.chunks.txt': {
      text: 'Hello, World!',
      responseIds: ['msg_dup'],
      finishes: ['end_turn'],
      usage: { inputTokens: 17, outputTokens: 227 },
    },
  };

  for (const [file, expected] of Object.entries(expectations)) {
    it(`translates ${file}`, () => {
      const summary = summarize(translateAll(anthropicFixture(file)));
      const actual = Object.fromEntries(
        Object.keys(expected).map((key) => [key, summary[key as keyof typeof summary]]),
      );
      expect(actual).toEqual(expected);
      expect(summary.openToolCalls).toBe(0);
    });
  }

  it('rejects spliced-message-start.chunks.txt at the second message_start, after the first message’s deltas', () => {
    const payloads = anthropicFixture('spliced-message-start.chunks.txt');
    const splice = payloads.findIndex((payload, index) => index > 0 && payload.type === 'message_start');
    const before = summarize(translateAll(payloads.slice(0, splice)));
    expect(before).toMatchObject({
      reasoning: 'I will call the tool.',
      signatures: ['sig-first'],
      toolCalls: [{ id: 'toolu_first', name: 'test-tool', arguments: '{"value":"Spark' }],
      finishes: [],
    });
    let thrown: unknown;
    try {
      translateAll(payloads);
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown) && thrown.code).toBe('invalid_response');
  });

  it('reads long recorded texts completely (sanity check of the expectations above)', () => {
    expect(
      concatenatedDeltas('anthropic-web-search-tool.1.chunks.txt', 'text_delta').startsWith(
        'Based on my search results, here are the',
      ),
    ).toBe(true);
    expect(concatenatedDeltas('anthropic-combined-context-editing.1.chunks.txt', 'thinking_delta')).toMatch(
      /^I need to calculate 25 \* 37/,
    );
    expect(fixtureSignatures('anthropic-clear-thinking.1.chunks.txt')[0]).toMatch(/^EvQBCkYICxgC/);
  });
});
