import { createTokenwire, type FinishEvent, type Message, type StreamEvent } from '@tokenwire/core';
import { collect, findInvariantViolations } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import { compactionBlock, compactionEvents } from './anthropic-compaction.test-helpers.js';
import { events } from './anthropic-events.test-helpers.js';

const { messageStart, blockStart, text, blockStop, messageDelta, messageStop } = events;

const server = useReplayServer();

// How compaction is turned on: the beta header and the context_management edit, passed through.
const compactionOptions = {
  headers: { 'anthropic-beta': 'compact-2026-01-12' },
  providerOptions: { anthropic: { context_management: { edits: [{ type: 'compact_20260112' }] } } },
};

function streamWith(messages: Message[]): Promise<StreamEvent[]> {
  const tokenwire = createTokenwire({
    providers: { anthropic: createAnthropicAdapter({ baseURL: server.url, apiKey: 'test-key' }) },
    retries: { maxRetries: 0 },
  });
  return collect(tokenwire.stream({ model: 'anthropic/claude-test-1', messages, ...compactionOptions }));
}

describe('context compaction through @anthropic-ai/sdk, the adapter and the runtime', () => {
  it('keeps the compaction block on finish.reasoningParts and sends it back verbatim on the next request', async () => {
    server.enqueue({ payloads: compactionEvents() });
    server.enqueue({
      payloads: [
        messageStart('msg_next', { input_tokens: 900, output_tokens: 1 }),
        blockStart(0, { type: 'text', text: '' }),
        text(0, 'Twelve are left.'),
        blockStop(0),
        messageDelta('end_turn', { output_tokens: 6 }),
        messageStop(),
      ],
    });
    const history: Message[] = [
      { role: 'system', content: 'You reconcile invoices.' },
      { role: 'user', content: 'Where are we?' },
    ];
    const first = await streamWith(history);
    expect(findInvariantViolations(first)).toEqual([]);
    const finish = first.at(-1) as FinishEvent;
    expect(finish).toMatchObject({
      type: 'finish',
      reason: 'stop',
      content: 'Continuing: the totals are 42.',
      reasoning: '',
      reasoningParts: [{ text: '', providerBlock: compactionBlock }],
      // What is billed: the compaction step plus the message step.
      usage: {
        inputTokens: 64_800,
        cachedInputTokens: 2000,
        outputTokens: 770,
        totalTokens: 65_570,
        estimated: false,
      },
    });
    expect(first).toContainEqual(
      expect.objectContaining({ type: 'reasoning', providerBlock: compactionBlock }),
    );
    expect(server.requests[0]?.headers['anthropic-beta']).toBe('compact-2026-01-12');
    expect(server.requests[0]?.body).toMatchObject(compactionOptions.providerOptions.anthropic);

    // The compaction block replaces the messages it summarizes: the next conversation starts with it.
    const next = await streamWith([
      { role: 'system', content: 'You reconcile invoices.' },
      { role: 'assistant', content: finish.content, reasoning: finish.reasoningParts },
      { role: 'user', content: 'How many are left?' },
    ]);
    expect(findInvariantViolations(next)).toEqual([]);
    expect(next.at(-1)).toMatchObject({ type: 'finish', content: 'Twelve are left.' });
    const sent = server.requests[1]?.body as { messages?: unknown } | undefined;
    expect(sent?.messages).toEqual([
      {
        role: 'assistant',
        content: [compactionBlock, { type: 'text', text: 'Continuing: the totals are 42.' }],
      },
      { role: 'user', content: 'How many are left?' },
    ]);
  });

  it('refuses, before sending, a compaction block left behind the messages it summarizes', async () => {
    server.enqueue({ payloads: compactionEvents() });
    const first = await streamWith([{ role: 'user', content: 'Where are we?' }]);
    const finish = first.at(-1) as FinishEvent;
    const kept = await streamWith([
      { role: 'user', content: 'Where are we?' },
      { role: 'assistant', content: finish.content, reasoning: finish.reasoningParts },
      { role: 'user', content: 'How many are left?' },
    ]);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      type: 'error',
      error: {
        code: 'invalid_request',
        message: expect.stringContaining('messages[1].reasoning[0].providerBlock'),
      },
    });
    expect(server.requests).toHaveLength(1);
  });
});
