import { type StreamEvent, TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { StreamAccumulator } from '@tokenwire/core/internal';
import { describe, expect, it } from 'vitest';
import { event, events, translateAll } from './anthropic-events.test-helpers.js';
import {
  createAnthropicStreamState,
  translateAnthropicEvent,
  translateAnthropicEventInto,
} from './anthropic-stream.js';

const { messageStart, blockStart, delta, text, blockStop, messageDelta, messageStop, ping } = events;
const start = { type: 'start', model: 'claude-test-1', responseId: 'msg_1' };
const inputUsage = { type: 'usage', usage: { inputTokens: 10 } };

describe('translateAnthropicEvent', () => {
  it('translates a text message into start, input usage, text, output usage and finish', () => {
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'text', text: '' }),
      ping(),
      text(0, 'Hel'),
      text(0, 'lo'),
      blockStop(0),
      messageDelta('end_turn', { output_tokens: 2 }),
      messageStop(),
    ]);
    expect(deltas).toEqual([
      start,
      inputUsage,
      { type: 'text', delta: 'Hel' },
      { type: 'text', delta: 'lo' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 2 } },
      { type: 'finish', reason: 'stop', rawReason: 'end_turn' },
    ]);
  });

  it('keeps the signature of a thinking block on a reasoning delta, followed by a tool call', () => {
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Need the ' }),
      delta(0, { type: 'thinking_delta', thinking: 'weather.' }),
      delta(0, { type: 'signature_delta', signature: 'sig-1' }),
      blockStop(0),
      blockStart(1, { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} }),
      delta(1, { type: 'input_json_delta', partial_json: '{"city":' }),
      delta(1, { type: 'input_json_delta', partial_json: '"Paris"}' }),
      blockStop(1),
      messageDelta('tool_use', { output_tokens: 30 }),
      messageStop(),
    ]);
    expect(deltas).toEqual([
      start,
      inputUsage,
      { type: 'reasoning', delta: 'Need the ' },
      { type: 'reasoning', delta: 'weather.' },
      { type: 'reasoning', delta: '', signature: 'sig-1' },
      { type: 'tool_call', index: 1, id: 'toolu_1', name: 'weather' },
      { type: 'tool_call', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool_call', index: 1, argumentsDelta: '"Paris"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 30 } },
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_use' },
    ]);
  });

  it('passes a redacted_thinking block on as reasoning with its opaque data, and goes on', () => {
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'redacted_thinking', data: 'opaque' }),
      blockStop(0),
      blockStart(1, { type: 'text', text: '' }),
      text(1, 'Done.'),
      blockStop(1),
    ]);
    expect(deltas).toEqual([
      start,
      inputUsage,
      { type: 'reasoning', delta: '', redactedData: 'opaque' },
      { type: 'text', delta: 'Done.' },
    ]);
  });

  it('announces a tool call with empty input and closes it at its content_block_stop', () => {
    const deltas = translateAll([
      blockStart(2, { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} }),
      delta(2, { type: 'input_json_delta', partial_json: '' }),
      blockStop(2),
    ]);
    expect(deltas).toEqual([
      { type: 'tool_call', index: 2, id: 'toolu_2', name: 'now' },
      { type: 'tool_call_end', index: 2 },
    ]);
  });

  it('lets the runtime complete a tool call with empty input as {}', () => {
    const accumulator = new StreamAccumulator('anthropic', 'claude-test-1', () => 0);
    const out: StreamEvent[] = [];
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} }),
      blockStop(0),
    ]);
    for (const item of deltas) accumulator.push(item, out);
    expect(out.filter((item) => item.type === 'tool_call_complete')).toEqual([
      { type: 'tool_call_complete', index: 0, id: 'toolu_2', name: 'now', arguments: '{}', input: {} },
    ]);
  });

  it('sends tool input that arrives whole at content_block_start (programmatic tool calling) at its stop', () => {
    const deltas = translateAll([
      blockStart(2, { type: 'tool_use', id: 'toolu_3', name: 'rollDie', input: { player: 'p1' } }),
      blockStop(2),
    ]);
    expect(deltas).toEqual([
      { type: 'tool_call', index: 2, id: 'toolu_3', name: 'rollDie' },
      { type: 'tool_call', index: 2, argumentsDelta: '{"player":"p1"}' },
      { type: 'tool_call_end', index: 2 },
    ]);
  });

  it('lets streamed input replace input that came with content_block_start', () => {
    const deltas = translateAll([
      blockStart(0, { type: 'tool_use', id: 'toolu_4', name: 'f', input: { stale: true } }),
      delta(0, { type: 'input_json_delta', partial_json: '{"fresh":1}' }),
      blockStop(0),
    ]);
    expect(deltas).toEqual([
      { type: 'tool_call', index: 0, id: 'toolu_4', name: 'f' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"fresh":1}' },
      { type: 'tool_call_end', index: 0 },
    ]);
  });

  it('counts cache reads and writes as input and lets message_delta correct message_start', () => {
    const deltas = translateAll([
      messageStart('msg_1', {
        input_tokens: 10,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 50,
        output_tokens: 1,
      }),
      messageDelta('end_turn', {
        input_tokens: 12,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 50,
        output_tokens: 40,
        output_tokens_details: { thinking_tokens: 25 },
      }),
    ]);
    expect(deltas.filter((item) => item.type === 'usage')).toEqual([
      { type: 'usage', usage: { inputTokens: 160, cachedInputTokens: 100, cacheWriteTokens: 50 } },
      {
        type: 'usage',
        usage: {
          inputTokens: 162,
          cachedInputTokens: 100,
          cacheWriteTokens: 50,
          outputTokens: 40,
          reasoningTokens: 25,
        },
      },
    ]);
  });

  it('keeps counts that a message_delta reports as null', () => {
    const deltas = translateAll([
      messageStart('msg_1', { input_tokens: 7, cache_read_input_tokens: 3, output_tokens: 1 }),
      messageDelta('end_turn', {
        input_tokens: null,
        cache_read_input_tokens: null,
        cache_creation_input_tokens: null,
        output_tokens: 9,
      }),
    ]);
    expect(deltas.at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 10, cachedInputTokens: 3, outputTokens: 9 },
    });
  });

  it('drops ping', () => {
    expect(translateAll([ping()])).toEqual([]);
  });

  it('ignores server-tool, MCP, unknown blocks, citations and unknown events without breaking the stream', () => {
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: '{"query":"news"}' }),
      blockStop(0),
      blockStart(1, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }),
      blockStop(1),
      blockStart(2, { type: 'mcp_tool_use', id: 'mcptoolu_1', name: 'echo', input: {}, server_name: 'echo' }),
      delta(2, { type: 'input_json_delta', partial_json: '{"message":"hi"}' }),
      blockStop(2),
      blockStart(3, { type: 'mcp_tool_result', tool_use_id: 'mcptoolu_1', is_error: false, content: [] }),
      blockStop(3),
      blockStart(4, { type: 'fallback', from: { model: 'a' }, to: { model: 'b' } }),
      blockStop(4),
      blockStart(5, { type: 'text', text: '' }),
      delta(5, { type: 'citations_delta', citation: { type: 'web_search_result_location' } }),
      text(5, 'Found it.'),
      delta(5, { type: 'future_delta', value: 1 }),
      event({ type: 'future_event', anything: true }),
      blockStop(5),
    ]);
    expect(deltas).toEqual([start, inputUsage, { type: 'text', delta: 'Found it.' }]);
  });

  it('tolerates known events with their payload missing', () => {
    const deltas = translateAll([
      event({ type: 'message_start' }),
      event({ type: 'content_block_start', index: 0 }),
      event({ type: 'content_block_delta', index: 0 }),
      event({ type: 'message_delta' }),
    ]);
    expect(deltas).toEqual([{ type: 'usage', usage: { inputTokens: 0 } }]);
  });

  it('ignores a repeated message_start with the same id', () => {
    const state = createAnthropicStreamState();
    translateAll([messageStart('msg_dup')], state);
    expect(translateAnthropicEvent(messageStart('msg_dup'), state)).toEqual([]);
  });

  it('throws invalid_response when another message starts while one is open (a spliced stream)', () => {
    const state = createAnthropicStreamState();
    translateAll([messageStart('msg_first'), blockStart(0, { type: 'text', text: '' })], state);
    let thrown: unknown;
    try {
      translateAnthropicEvent(messageStart('msg_second'), state);
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown)).toBe(true);
    expect((thrown as TokenwireError).code).toBe('invalid_response');
    expect((thrown as TokenwireError).message).toContain('msg_second');
  });

  it('emits no finish for a stream that ends before message_stop', () => {
    const deltas = translateAll([
      messageStart(),
      blockStart(0, { type: 'text', text: '' }),
      text(0, 'Cut'),
      messageDelta('end_turn'),
    ]);
    expect(deltas.some((item) => item.type === 'finish')).toBe(false);
  });

  it('throws the error an in-band overloaded_error record describes, as the first record', () => {
    const state = createAnthropicStreamState();
    let thrown: unknown;
    try {
      translateAnthropicEvent(
        event({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
        state,
      );
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown)).toBe(true);
    expect({
      code: (thrown as TokenwireError).code,
      retryable: (thrown as TokenwireError).retryable,
      provider: (thrown as TokenwireError).provider,
    }).toEqual({ code: 'overloaded', retryable: true, provider: 'anthropic' });
  });
});

describe('translateAnthropicEventInto', () => {
  it('pushes the same deltas as translateAnthropicEvent', () => {
    const state = createAnthropicStreamState();
    const out: AdapterDelta[] = [];
    for (const event of [
      messageStart(),
      blockStart(0, { type: 'text', text: '' }),
      text(0, 'Hi'),
      blockStop(0),
    ]) {
      translateAnthropicEventInto(event, state, out);
    }
    expect(out).toEqual([start, inputUsage, { type: 'text', delta: 'Hi' }]);
  });

  it('returns true for message_stop only: the terminal record of a response', () => {
    const state = createAnthropicStreamState();
    const out: AdapterDelta[] = [];
    const terminal = [
      messageStart(),
      ping(),
      blockStart(0, { type: 'text', text: '' }),
      text(0, 'Hi'),
      blockStop(0),
      messageDelta('end_turn'),
      messageStop(),
    ].map((event) => translateAnthropicEventInto(event, state, out));
    expect(terminal).toEqual([false, false, false, false, false, false, true]);
    expect(out.at(-1)).toEqual({ type: 'finish', reason: 'stop', rawReason: 'end_turn' });
  });
});
