import { describe, expect, it } from 'vitest';
import { events, translateAll } from './anthropic-events.test-helpers.js';

const { messageStart, blockStart, text, blockStop, messageDelta, messageStop } = events;

// Recordings of multi-step runs (programmatic tool calling, tool search) hold several messages
// one after the other in one stream. They are followed in order, never spliced together.
describe('translateAnthropicEvent with several messages in one stream', () => {
  it('follows a message that starts after the previous one stopped, summing usage and finishing each', () => {
    const deltas = translateAll([
      messageStart('msg_a', { input_tokens: 10, output_tokens: 1 }),
      blockStart(0, { type: 'text', text: '' }),
      text(0, 'One.'),
      blockStop(0),
      messageDelta('tool_use', { output_tokens: 5 }),
      messageStop(),
      messageStart('msg_b', { input_tokens: 20, output_tokens: 1 }),
      blockStart(0, { type: 'text', text: '' }),
      text(0, 'Two.'),
      blockStop(0),
      messageDelta('end_turn', { output_tokens: 7 }),
      messageStop(),
    ]);
    expect(deltas).toEqual([
      { type: 'start', model: 'claude-test-1', responseId: 'msg_a' },
      { type: 'usage', usage: { inputTokens: 10 } },
      { type: 'text', delta: 'One.' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_use' },
      { type: 'start', model: 'claude-test-1', responseId: 'msg_b' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 5 } },
      { type: 'text', delta: 'Two.' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 12 } },
      { type: 'finish', reason: 'stop', rawReason: 'end_turn' },
    ]);
  });

  it('turns a message that arrives with a finished tool_use block into a complete tool call', () => {
    const deltas = translateAll([
      messageStart(
        'msg_prefilled',
        { input_tokens: 0, output_tokens: 0 },
        {
          content: [{ type: 'tool_use', id: 'toolu_9', name: 'rollDie', input: { player: 'player2' } }],
          stop_reason: 'tool_use',
        },
      ),
      messageStop(),
    ]);
    expect(deltas).toEqual([
      { type: 'start', model: 'claude-test-1', responseId: 'msg_prefilled' },
      { type: 'usage', usage: { inputTokens: 0 } },
      { type: 'tool_call', index: 0, id: 'toolu_9', name: 'rollDie', argumentsDelta: '{"player":"player2"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'usage', usage: { inputTokens: 0, outputTokens: 0 } },
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_use' },
    ]);
  });

  it('finishes with reason other and no rawReason when no stop_reason was ever given', () => {
    const deltas = translateAll([messageStart(), messageStop()]);
    expect(deltas.at(-1)).toEqual({ type: 'finish', reason: 'other' });
  });
});
