import { findInvariantViolations } from '@tokenwire/testing';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { CHAT_FIXTURE_EXPECTATIONS, concatenatedDeltas } from './openai-chat.fixtures.test-helpers.js';
import { createOpenAIChatStreamState, translateOpenAIChatChunk } from './openai-chat-stream.js';
import { accumulateEvents, fixtureNames, readFixturePayloads } from './openai-fixtures.test-helpers.js';

const fixtures = [
  ...fixtureNames('openai-chat').map((name) => `openai-chat/${name}`),
  ...fixtureNames('openai-chat-compatible').map((name) => `openai-chat-compatible/${name}`),
];

describe('translateOpenAIChatChunk over recorded streams', () => {
  it('has an expectation for every recorded chat fixture', () => {
    expect(Object.keys(CHAT_FIXTURE_EXPECTATIONS).sort()).toEqual(fixtures.sort());
  });

  it.each(fixtures)('translates %s', (path) => {
    const { payloads, unparsableLines } = readFixturePayloads(path);
    expect(unparsableLines).toEqual([]);
    const state = createOpenAIChatStreamState();
    const deltas = payloads.flatMap((payload) =>
      translateOpenAIChatChunk(payload as ChatCompletionChunk, state),
    );
    const expected = CHAT_FIXTURE_EXPECTATIONS[path];
    const { content, reasoning } = concatenatedDeltas(payloads);

    expect(deltas.filter((delta) => delta.type === 'start')).toEqual([
      { type: 'start', model: expected?.model, responseId: expected?.responseId },
    ]);
    expect(deltas.filter((delta) => delta.type === 'finish')).toHaveLength(1);
    const events = accumulateEvents(deltas);
    expect(findInvariantViolations(events)).toEqual([]);
    const result = events.at(-1);
    if (result?.type !== 'finish') throw new Error(`expected a finish, got ${result?.type}`);
    expect(result.content).toBe(content);
    expect(result.reasoning).toBe(reasoning);
    expect({
      reason: result.reason,
      rawReason: result.rawReason,
      model: result.model,
      contentLength: content.length,
      reasoningLength: reasoning.length,
      toolCalls: result.toolCalls,
      usage: result.usage,
    }).toEqual({
      reason: expected?.reason,
      rawReason: expected?.rawReason,
      model: expected?.model,
      contentLength: expected?.contentLength,
      reasoningLength: expected?.reasoningLength,
      toolCalls: expected?.toolCalls,
      usage: expected?.usage,
    });
  });

  // With usage requested, the usage chunk after the finish ends the stream: in every recording it
  // is the last chunk (OpenAI, Azure, Qwen) or absent (DeepSeek, Groq and Mistral report usage on
  // the finish chunk), so nothing recorded comes after it.
  const endingInAUsageChunk = new Set([
    'openai-chat/openai-text.chunks.txt',
    'openai-chat/azure-model-router.1.chunks.txt',
    'openai-chat-compatible/alibaba-tool-call.chunks.txt',
  ]);
  it.each(fixtures)('reaches the terminal record at the last chunk of %s, or not at all', (path) => {
    const { payloads } = readFixturePayloads(path);
    const state = createOpenAIChatStreamState({ usageRequested: true });
    const completeAt = payloads.findIndex((payload) => {
      translateOpenAIChatChunk(payload as ChatCompletionChunk, state);
      return state.complete;
    });
    expect(completeAt).toBe(endingInAUsageChunk.has(path) ? payloads.length - 1 : -1);
  });
});
