import type { StreamEvent } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { ChatAnswer } from './chat-answer.js';

describe('ChatAnswer', () => {
  it('joins reasoning and text by part, and keeps one object part that grows', () => {
    const answer = new ChatAnswer('a1');
    const events: StreamEvent[] = [
      { type: 'reasoning', content: 'Think', accumulatedReasoning: 'Think' },
      { type: 'reasoning', content: 'ing.', accumulatedReasoning: 'Thinking.' },
      {
        type: 'token',
        content: '{"a":',
        accumulatedContent: '{"a":',
        tokenCount: 1,
        totalTokens: 1,
        model: 'm',
        finishReason: null,
      },
      { type: 'partial_object', object: {} },
      {
        type: 'token',
        content: '1}',
        accumulatedContent: '{"a":1}',
        tokenCount: 1,
        totalTokens: 2,
        model: 'm',
        finishReason: null,
      },
      { type: 'partial_object', object: { a: 1 } },
    ];
    const first = answer.message();
    for (const event of events) answer.add(event);
    expect(answer.message()).toEqual({
      id: 'a1',
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Thinking.' },
        { type: 'text', text: '{"a":1}' },
        { type: 'object', object: { a: 1 } },
      ],
    });
    expect(first.parts).toEqual([]); // a snapshot taken before never changes
  });

  it('keeps a snapshot as it was when later fragments arrive', () => {
    const answer = new ChatAnswer('a1');
    answer.add({
      type: 'token',
      content: 'Hel',
      accumulatedContent: 'Hel',
      tokenCount: 1,
      totalTokens: 1,
      model: 'm',
      finishReason: null,
    });
    const before = answer.message();
    answer.add({
      type: 'token',
      content: 'lo',
      accumulatedContent: 'Hello',
      tokenCount: 1,
      totalTokens: 2,
      model: 'm',
      finishReason: null,
    });
    expect(before.parts).toEqual([{ type: 'text', text: 'Hel' }]);
    expect(answer.message().parts).toEqual([{ type: 'text', text: 'Hello' }]);
  });
});
