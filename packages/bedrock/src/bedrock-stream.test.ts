import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { describe, expect, it } from 'vitest';
import { createBedrockStreamState, endBedrockStream, translateBedrockEvent } from './bedrock-stream.js';

// Events in the shapes AWS documents for ConverseStreamOutput (and the SDK types), fed to the
// pure translator: no network, no client.
// @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html

function translate(events: ConverseStreamOutput[], options: { jsonAnswerTool?: boolean } = {}) {
  const state = createBedrockStreamState({ model: 'anthropic.claude-sonnet-4-5', ...options });
  const out: AdapterDelta[] = [];
  const terminal = events.map((event) => translateBedrockEvent(event, state, out));
  endBedrockStream(state, out);
  return { out, terminal };
}

const start: ConverseStreamOutput = { messageStart: { role: 'assistant' } };
const stop = (stopReason: string): ConverseStreamOutput =>
  ({ messageStop: { stopReason } }) as ConverseStreamOutput;
const metadata = (usage: Record<string, number>): ConverseStreamOutput =>
  ({ metadata: { usage, metrics: { latencyMs: 10 } } }) as unknown as ConverseStreamOutput;
const text = (index: number, value: string): ConverseStreamOutput => ({
  contentBlockDelta: { contentBlockIndex: index, delta: { text: value } },
});

describe('translateBedrockEvent', () => {
  it('streams text, then finishes at metadata with the usage and the stop reason', () => {
    const { out, terminal } = translate([
      start,
      text(0, 'Hello'),
      text(0, ''),
      text(0, ' world'),
      { contentBlockStop: { contentBlockIndex: 0 } },
      stop('end_turn'),
      metadata({ inputTokens: 10, outputTokens: 3, totalTokens: 13 }),
    ]);
    expect(out).toEqual([
      { type: 'start', model: 'anthropic.claude-sonnet-4-5' },
      { type: 'text', delta: 'Hello' },
      { type: 'text', delta: ' world' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 } },
      { type: 'finish', reason: 'stop', rawReason: 'end_turn' },
    ]);
    expect(terminal.at(-1)).toBe(true);
    expect(terminal.slice(0, -1).every((value) => value === false)).toBe(true);
  });

  it('names the response by its request id when it has one', () => {
    const state = createBedrockStreamState({ model: 'm', responseId: 'req-1' });
    const out: AdapterDelta[] = [];
    translateBedrockEvent(start, state, out);
    translateBedrockEvent(start, state, out); // a repeated messageStart says nothing new
    expect(out).toEqual([{ type: 'start', model: 'm', responseId: 'req-1' }]);
  });

  it('streams reasoning text, its signature, and redacted reasoning as base64', () => {
    const { out } = translate([
      start,
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Two plus two' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig-1' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      {
        contentBlockDelta: {
          contentBlockIndex: 1,
          delta: { reasoningContent: { redactedContent: new Uint8Array([1, 2, 3, 250]) } },
        },
      },
      { contentBlockStop: { contentBlockIndex: 1 } },
      text(2, '4'),
    ]);
    expect(out.slice(1)).toEqual([
      { type: 'reasoning', delta: 'Two plus two' },
      { type: 'reasoning', delta: '', signature: 'sig-1' },
      { type: 'reasoning', delta: '', redactedData: 'AQID+g==' },
      { type: 'text', delta: '4' },
    ]);
  });

  it('passes redacted reasoning that arrives as base64 text (the direct transport) on unchanged', () => {
    const event = {
      contentBlockDelta: {
        contentBlockIndex: 0,
        delta: { reasoningContent: { redactedContent: 'AQID+g==' } },
      },
    } as unknown as ConverseStreamOutput;
    expect(translate([start, event]).out.slice(1)).toEqual([
      { type: 'reasoning', delta: '', redactedData: 'AQID+g==' },
    ]);
  });

  it('streams parallel tool uses by block index, their input in fragments, each closed at its stop', () => {
    const { out } = translate([
      start,
      {
        contentBlockStart: {
          contentBlockIndex: 1,
          start: { toolUse: { toolUseId: 'tu_1', name: 'get_weather' } },
        },
      },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '"Paris"}' } } } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      {
        contentBlockStart: {
          contentBlockIndex: 2,
          start: { toolUse: { toolUseId: 'tu_2', name: 'get_time' } },
        },
      },
      { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '' } } } },
      { contentBlockStop: { contentBlockIndex: 2 } },
      stop('tool_use'),
      metadata({ inputTokens: 5, outputTokens: 9, totalTokens: 14 }),
    ]);
    expect(out.slice(1)).toEqual([
      { type: 'tool_call', index: 1, id: 'tu_1', name: 'get_weather' },
      { type: 'tool_call', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 1, argumentsDelta: '"Paris"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'tool_call', index: 2, id: 'tu_2', name: 'get_time' },
      { type: 'tool_call_end', index: 2 },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 9, totalTokens: 14 } },
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_use' },
    ]);
  });

  it('streams the forced json tool as the answer text and finishes its tool_use stop as stop', () => {
    const { out } = translate(
      [
        start,
        {
          contentBlockStart: {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: 'tu_j', name: 'json' } },
          },
        },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"a":' } } } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '1}' } } } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        stop('tool_use'),
        metadata({ inputTokens: 1, outputTokens: 1 }),
      ],
      { jsonAnswerTool: true },
    );
    expect(out.slice(1)).toEqual([
      { type: 'text', delta: '{"a":' },
      { type: 'text', delta: '1}' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
      { type: 'finish', reason: 'stop', rawReason: 'tool_use' },
    ]);
  });

  it('answers {} for a json tool with no input', () => {
    const { out } = translate(
      [
        start,
        {
          contentBlockStart: {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: 'tu_j', name: 'json' } },
          },
        },
        { contentBlockStop: { contentBlockIndex: 0 } },
      ],
      { jsonAnswerTool: true },
    );
    expect(out.slice(1)).toEqual([{ type: 'text', delta: '{}' }]);
  });

  it('counts cache reads and writes into the input, as core counts all input', () => {
    const { out } = translate([
      start,
      stop('end_turn'),
      metadata({
        inputTokens: 50,
        outputTokens: 25,
        totalTokens: 125,
        cacheReadInputTokens: 30,
        cacheWriteInputTokens: 20,
      }),
    ]);
    expect(out[1]).toEqual({
      type: 'usage',
      usage: {
        inputTokens: 100,
        outputTokens: 25,
        totalTokens: 125,
        cachedInputTokens: 30,
        cacheWriteTokens: 20,
      },
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['malformed_tool_use', 'other'],
    ['a_future_reason', 'other'],
  ])('maps the stop reason %s to %s', (stopReason, reason) => {
    const { out } = translate([start, stop(stopReason), metadata({ inputTokens: 1, outputTokens: 1 })]);
    expect(out.at(-1)).toEqual({ type: 'finish', reason, rawReason: stopReason });
  });

  it('finishes at the end of the stream when metadata never came, and not at all before messageStop', () => {
    expect(translate([start, text(0, 'Hi'), stop('end_turn')]).out.at(-1)).toEqual({
      type: 'finish',
      reason: 'stop',
      rawReason: 'end_turn',
    });
    expect(translate([start, text(0, 'Hi')]).out.map((delta) => delta.type)).toEqual(['start', 'text']);
  });

  it('ignores events, blocks and deltas added after it was written', () => {
    const { out } = translate([
      start,
      { $unknown: ['futureEvent', {}] } as ConverseStreamOutput,
      { futureEvent: { detail: 1 } } as unknown as ConverseStreamOutput,
      {
        contentBlockStart: { contentBlockIndex: 1, start: { image: {} } },
      } as unknown as ConverseStreamOutput,
      {
        contentBlockDelta: { contentBlockIndex: 1, delta: { citation: {} } },
      } as unknown as ConverseStreamOutput,
      { contentBlockStop: { contentBlockIndex: 1 } },
      text(0, 'ok'),
    ]);
    expect(out.slice(1)).toEqual([{ type: 'text', delta: 'ok' }]);
  });

  it.each([
    ['throttlingException', 'rate_limit', true],
    ['serviceUnavailableException', 'overloaded', true],
    ['internalServerException', 'server', true],
    ['modelStreamErrorException', 'server', true],
    ['validationException', 'invalid_request', false],
  ])('throws the in-band %s as %s (retryable: %s)', (member, code, retryable) => {
    const state = createBedrockStreamState({ model: 'm' });
    const event = { [member]: { message: 'something went wrong' } } as unknown as ConverseStreamOutput;
    let thrown: unknown;
    try {
      translateBedrockEvent(event, state, []);
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code, retryable, provider: 'bedrock' });
    expect((thrown as Error).message).toContain('something went wrong');
  });
});
