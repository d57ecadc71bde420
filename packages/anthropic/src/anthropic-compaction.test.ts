import { type ChatRequest, type Message, TokenwireError } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { compactionEvents, compactionBlock as received } from './anthropic-compaction.test-helpers.js';
import { events, translateAll } from './anthropic-events.test-helpers.js';
import { toAnthropicParams } from './anthropic-messages.js';
import { checkAnthropicRequest } from './anthropic-request-limits.js';

const { messageStart, blockStart, delta, text, blockStop, messageDelta, messageStop } = events;

describe('translating a compaction stream', () => {
  it('emits the assembled compaction block as a provider block at its stop, and sums the iterations', () => {
    expect(translateAll(compactionEvents())).toEqual([
      { type: 'start', model: 'claude-test-1', responseId: 'msg_compacted' },
      { type: 'usage', usage: { inputTokens: 61_000, cachedInputTokens: 0, cacheWriteTokens: 0 } },
      { type: 'reasoning', delta: '', providerBlock: received },
      { type: 'text', delta: 'Continuing: ' },
      { type: 'text', delta: 'the totals are 42.' },
      {
        type: 'usage',
        // The compaction step (61,000 in, 650 out) plus the message step (1,800 + 2,000 cache reads in, 120 out).
        usage: { inputTokens: 64_800, cachedInputTokens: 2000, cacheWriteTokens: 0, outputTokens: 770 },
      },
      { type: 'finish', reason: 'stop', rawReason: 'end_turn' },
    ]);
  });

  it('reports the top-level counts of a stream without iterations, as before', () => {
    const deltas = translateAll(compactionEvents({ iterations: false }));
    expect(deltas.filter((item) => item.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 3800, cachedInputTokens: 2000, cacheWriteTokens: 0, outputTokens: 120 },
    });
  });

  it('takes the content of each compaction_delta as final, as the SDK does, and a null one as a failed compaction', () => {
    const deltas = translateAll([
      messageStart('msg_failed'),
      blockStart(0, { type: 'compaction', content: null, encrypted_content: null }),
      delta(0, { type: 'compaction_delta', content: 'A first draft.', encrypted_content: 'opaque-1' }),
      delta(0, { type: 'compaction_delta', content: null }),
      blockStop(0),
      messageDelta('compaction', { output_tokens: 5 }),
      messageStop(),
    ]);
    expect(deltas.filter((item) => item.type === 'reasoning' || item.type === 'finish')).toEqual([
      {
        type: 'reasoning',
        delta: '',
        providerBlock: { type: 'compaction', content: null, encrypted_content: 'opaque-1' },
      },
      // stop_reason compaction: the response is the block alone, a normal end.
      { type: 'finish', reason: 'stop', rawReason: 'compaction' },
    ]);
  });

  it('keeps a compaction block before a thinking block, each closing its own reasoning part', () => {
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'compaction', content: 'Summary.', encrypted_content: null }),
      blockStop(0),
      blockStart(1, { type: 'thinking', thinking: '', signature: '' }),
      delta(1, { type: 'thinking_delta', thinking: 'Next step.' }),
      delta(1, { type: 'signature_delta', signature: 'sig-thinking' }),
      blockStop(1),
      blockStart(2, { type: 'text', text: '' }),
      text(2, 'Done.'),
      blockStop(2),
      messageDelta('end_turn'),
      messageStop(),
    ]);
    expect(deltas.filter((item) => item.type === 'reasoning')).toEqual([
      {
        type: 'reasoning',
        delta: '',
        providerBlock: { type: 'compaction', content: 'Summary.', encrypted_content: null },
      },
      { type: 'reasoning', delta: 'Next step.' },
      { type: 'reasoning', delta: '', signature: 'sig-thinking' },
    ]);
  });

  it('puts a signature_delta of a compaction block on the block, not on a thinking part', () => {
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'compaction', content: null, encrypted_content: null }),
      delta(0, { type: 'compaction_delta', content: 'Summary.', encrypted_content: null }),
      delta(0, { type: 'signature_delta', signature: 'sig-summary' }),
      blockStop(0),
      messageDelta('end_turn'),
      messageStop(),
    ]);
    expect(deltas.filter((item) => item.type === 'reasoning')).toEqual([
      {
        type: 'reasoning',
        delta: '',
        providerBlock: {
          type: 'compaction',
          content: 'Summary.',
          encrypted_content: null,
          signature: 'sig-summary',
        },
      },
    ]);
  });

  it('emits a compaction block that arrives whole in message_start', () => {
    const block = { type: 'compaction', content: 'Summary.', encrypted_content: 'opaque', signature: 's' };
    const deltas = translateAll([
      messageStart('msg_1', { input_tokens: 10, output_tokens: 1 }, { content: [block] }),
      messageStop(),
    ]);
    expect(deltas).toContainEqual({ type: 'reasoning', delta: '', providerBlock: block });
  });
});

const request = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-test-1',
  messages,
  ...extra,
});

const compacted: Message = {
  role: 'assistant',
  content: 'Continuing: the totals are 42.',
  reasoning: [
    { text: '', providerBlock: received },
    { text: 'Next step.', signature: 'sig-thinking' },
  ],
};

describe('sending a compaction block back', () => {
  it('sends the block verbatim, first, in its place among the assistant message’s blocks', () => {
    const params = toAnthropicParams(
      request([{ role: 'system', content: 'Be brief.' }, compacted, { role: 'user', content: 'And now?' }]),
    );
    expect(params.messages).toEqual([
      {
        role: 'assistant',
        content: [
          received,
          { type: 'thinking', thinking: 'Next step.', signature: 'sig-thinking' },
          { type: 'text', text: 'Continuing: the totals are 42.' },
        ],
      },
      { role: 'user', content: 'And now?' },
    ]);
    expect(params.messages[0]?.content[0]).not.toBe(received); // a copy: the caller's object is untouched
  });

  it('leaves out provider blocks that are not Anthropic compaction blocks', () => {
    const params = toAnthropicParams(
      request([
        {
          role: 'assistant',
          content: 'Hi.',
          reasoning: [
            // OpenAI's compaction item shares the type name but has no content.
            { text: '', providerBlock: { type: 'compaction', id: 'cmp_1', encrypted_content: 'opaque' } },
            { text: '', providerBlock: { type: 'some_other_block', data: 'x' } },
          ],
        },
        { role: 'user', content: 'Go on.' },
      ]),
    );
    expect(params.messages[0]).toEqual({ role: 'assistant', content: 'Hi.' });
  });

  it('puts a lastMessage cache breakpoint on a copy of the block, never on the caller’s', () => {
    const only: Message = {
      role: 'assistant',
      content: '',
      reasoning: [{ text: '', providerBlock: received }],
    };
    const params = toAnthropicParams(
      request([only], { providerOptions: { anthropic: { cacheControl: { lastMessage: true } } } }),
    );
    expect(params.messages[0]?.content).toEqual([{ ...received, cache_control: { type: 'ephemeral' } }]);
    expect(received).not.toHaveProperty('cache_control');
  });
});

function problemOf(messages: Message[]): string | undefined {
  try {
    checkAnthropicRequest(request(messages), 'anthropic', '2026-10-21');
    return undefined;
  } catch (error) {
    if (!TokenwireError.isInstance(error)) throw error;
    expect(error.code).toBe('invalid_request');
    return error.message;
  }
}

describe('where a compaction block may stand', () => {
  const user: Message = { role: 'user', content: 'Hi' };

  it('accepts the block in the first message, after system messages', () => {
    expect(problemOf([{ role: 'system', content: 'Be brief.' }, compacted, user])).toBeUndefined();
  });

  it('refuses a block after the first message, naming it and saying what to do', () => {
    expect(problemOf([user, compacted, user])).toMatch(
      /^Invalid request: messages\[1\]\.reasoning\[0\]\.providerBlock is an Anthropic compaction block, which must be in the first message of the conversation: send the assistant message that carries it first .*Nothing was sent\.$/,
    );
  });

  it('refuses a second block with a summary: only the last one goes back', () => {
    expect(problemOf([compacted, user, compacted, user])).toContain(
      'messages[2].reasoning[0].providerBlock is a second Anthropic compaction block with a summary (the first is messages[0].reasoning[0].providerBlock)',
    );
  });

  it('sends failed compactions (null content) wherever they are: the API treats them as no-ops', () => {
    const failed: Message = {
      role: 'assistant',
      content: 'Hello.',
      reasoning: [
        { text: '', providerBlock: { type: 'compaction', content: null, encrypted_content: null } },
      ],
    };
    expect(problemOf([compacted, user, failed, user])).toBeUndefined();
  });
});
