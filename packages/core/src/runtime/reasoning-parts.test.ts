import { describe, expect, it } from 'vitest';
import type { FinishEvent, Message } from '../model/types.js';
import { findRequestProblem } from '../request/validate-request.js';
import { createTokenwire } from './create-tokenwire.js';
import { collectEvents, scriptedAdapter } from './scripted-adapter.test-helpers.js';

const compaction = {
  type: 'compaction',
  content: 'Summary of the first 40 turns.',
  encrypted_content: 'opaque',
  signature: 'sig',
};

describe('provider blocks kept like thinking blocks', () => {
  it('keeps a provider block on finish.reasoningParts, in order, without adding it to the reasoning text', async () => {
    const adapter = scriptedAdapter([
      { type: 'reasoning', delta: '', providerBlock: compaction },
      { type: 'reasoning', delta: 'Think.' },
      { type: 'reasoning', delta: '', signature: 'thinking-sig' },
      { type: 'text', delta: 'Answer.' },
      { type: 'finish', reason: 'stop' },
    ]);
    const events = await collectEvents(
      createTokenwire({ providers: { mock: adapter } }).stream({
        model: 'mock/m',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    const finish = events.at(-1) as FinishEvent;
    expect(finish.reasoning).toBe('Think.');
    expect(finish.reasoningParts).toEqual([
      { text: '', providerBlock: compaction },
      { text: 'Think.', signature: 'thinking-sig' },
    ]);
    expect(events.find((event) => event.type === 'reasoning')).toMatchObject({ providerBlock: compaction });
  });

  it('accepts the parts of a finish as the next assistant message, and refuses a block that is not an object', () => {
    const messages: Message[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Answer.', reasoning: [{ text: '', providerBlock: compaction }] },
      { role: 'user', content: 'More?' },
    ];
    expect(findRequestProblem({ model: 'm', messages })).toBeUndefined();
    const broken = structuredClone(messages) as unknown as Array<{
      reasoning?: Array<{ providerBlock: unknown }>;
    }>;
    (broken[1]?.reasoning?.[0] as { providerBlock: unknown }).providerBlock = 'compaction';
    expect(findRequestProblem({ model: 'm', messages: broken })?.message).toContain(
      'messages[1].reasoning[0].providerBlock must be an object',
    );
  });
});
