import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { fromUIMessages } from './from-ui-messages.js';

const weatherPart = {
  type: 'tool-get_weather',
  toolCallId: 'call_1',
  state: 'output-available',
  input: { city: 'Paris' },
  output: { celsius: 21 },
} as const;

describe('fromUIMessages', () => {
  it("turns useChat's messages into turns: a step per assistant turn, each call with its result", () => {
    const messages: UIMessage[] = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'reasoning', text: 'Look it up.', state: 'done' },
          { type: 'text', text: 'Checking.', state: 'done' },
          weatherPart,
          { type: 'step-start' },
          { type: 'text', text: 'Sunny.', state: 'done' },
        ],
      },
    ];
    expect(fromUIMessages(messages)).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', input: { city: 'Paris' } },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"celsius":21}' },
      { role: 'assistant', content: 'Sunny.' },
    ]);
  });

  it('sends a decision of addToolApprovalResponse as a tool message with approval; a call still waiting is left out', () => {
    const messages: UIMessage[] = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Delete both.' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          {
            type: 'tool-delete_file',
            toolCallId: 'call_a',
            state: 'approval-responded',
            input: { path: 'a' },
            approval: { id: 'call_a', approved: false, reason: 'Keep it.' },
          },
          {
            type: 'tool-delete_file',
            toolCallId: 'call_b',
            state: 'approval-requested',
            input: { path: 'b' },
            approval: { id: 'call_b' },
          },
        ],
      },
    ];
    expect(fromUIMessages(messages).slice(1)).toEqual([
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_a', name: 'delete_file', arguments: '{"path":"a"}', input: { path: 'a' } }],
      },
      {
        role: 'tool',
        toolCallId: 'call_a',
        name: 'delete_file',
        content: '',
        approval: { approved: false, reason: 'Keep it.' },
      },
    ]);
  });

  it('keeps images of a user message as image parts', () => {
    const messages: UIMessage[] = [
      {
        id: 'u1',
        role: 'user',
        parts: [
          { type: 'text', text: 'What is this?' },
          { type: 'file', mediaType: 'image/png', url: 'https://example.com/a.png' },
        ],
      },
    ];
    expect(fromUIMessages(messages)).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', url: 'https://example.com/a.png' },
        ],
      },
    ]);
  });
});
