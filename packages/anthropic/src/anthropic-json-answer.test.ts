import type { ChatRequest } from '@tokenwire/core';
import { jsonInstruction } from '@tokenwire/core/internal';
import { describe, expect, it } from 'vitest';
import { anthropicFixture, events, summarize, translateAll } from './anthropic-events.test-helpers.js';
import { jsonAnswerMethodOf } from './anthropic-json-answer.js';
import { toAnthropicParams } from './anthropic-messages.js';
import { createAnthropicStreamState } from './anthropic-stream.js';

const { messageStart, blockStart, delta, text, blockStop, messageDelta, messageStop } = events;
const jsonAnswer = () => createAnthropicStreamState('anthropic', { jsonAnswerTool: true });
const start = { type: 'start', model: 'claude-test-1', responseId: 'msg_1' };
const inputUsage = { type: 'usage', usage: { inputTokens: 10 } };
const outputUsage = { type: 'usage', usage: { inputTokens: 10, outputTokens: 20 } };

const jsonToolUse = (index: number, fragments: string[]) => [
  blockStart(index, { type: 'tool_use', id: `toolu_${index}`, name: 'json', input: {} }),
  delta(index, { type: 'input_json_delta', partial_json: '' }),
  ...fragments.map((partial_json) => delta(index, { type: 'input_json_delta', partial_json })),
  blockStop(index),
];

describe('the json tool answer in the stream', () => {
  it('streams the input of the json tool as text, and finishes a tool_use stop as stop', () => {
    const deltas = translateAll(
      [messageStart(), ...jsonToolUse(0, ['{"city":', '"Paris"}']), messageDelta('tool_use'), messageStop()],
      jsonAnswer(),
    );
    expect(deltas).toEqual([
      start,
      inputUsage,
      { type: 'text', delta: '{"city":' },
      { type: 'text', delta: '"Paris"}' },
      outputUsage,
      { type: 'finish', reason: 'stop', rawReason: 'tool_use' },
    ]);
  });

  it('is an ordinary tool call when the request did not ask for its answer through the tool', () => {
    const summary = summarize(
      translateAll([
        messageStart(),
        ...jsonToolUse(0, ['{"city":"Paris"}']),
        messageDelta('tool_use'),
        messageStop(),
      ]),
    );
    expect([summary.text, summary.toolCalls, summary.openToolCalls]).toEqual([
      '',
      [{ id: 'toolu_0', name: 'json', arguments: '{"city":"Paris"}' }],
      0,
    ]);
    expect(translateAll([messageStart(), messageDelta('tool_use'), messageStop()]).at(-1)).toEqual({
      type: 'finish',
      reason: 'tool_calls',
      rawReason: 'tool_use',
    });
  });

  it('keeps the finish reason tool_calls when the agent’s tool was called beside the json answer', () => {
    const deltas = translateAll(
      [
        messageStart(),
        blockStart(0, { type: 'tool_use', id: 'toolu_w', name: 'weather', input: {} }),
        delta(0, { type: 'input_json_delta', partial_json: '{"location":"Paris"}' }),
        blockStop(0),
        ...jsonToolUse(1, ['{"city":"Paris"}']),
        messageDelta('tool_use'),
        messageStop(),
      ],
      jsonAnswer(),
    );
    const summary = summarize(deltas);
    expect([summary.text, summary.toolCalls, deltas.at(-1)]).toEqual([
      '{"city":"Paris"}',
      [{ id: 'toolu_w', name: 'weather', arguments: '{"location":"Paris"}' }],
      { type: 'finish', reason: 'tool_calls', rawReason: 'tool_use' },
    ]);
  });

  it('answers {} for a json tool whose input streams no fragment, and a whole input as it came', () => {
    const empty = translateAll([messageStart(), ...jsonToolUse(0, [])], jsonAnswer());
    expect(empty.at(-1)).toEqual({ type: 'text', delta: '{}' });
    const whole = translateAll(
      [
        messageStart(),
        blockStart(0, { type: 'tool_use', id: 'toolu_0', name: 'json', input: { city: 'Paris' } }),
        blockStop(0),
      ],
      jsonAnswer(),
    );
    expect(whole.at(-1)).toEqual({ type: 'text', delta: '{"city":"Paris"}' });
  });

  it('reads a json tool use that arrives whole in message_start as the answer', () => {
    const prefilled = messageStart(
      'msg_1',
      { input_tokens: 10, output_tokens: 5 },
      {
        content: [{ type: 'tool_use', id: 'toolu_0', name: 'json', input: { city: 'Paris' } }],
        stop_reason: 'tool_use',
      },
    );
    expect(translateAll([prefilled, messageStop()], jsonAnswer()).slice(2)).toEqual([
      { type: 'text', delta: '{"city":"Paris"}' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
      { type: 'finish', reason: 'stop', rawReason: 'tool_use' },
    ]);
  });

  it('judges each message of a stream by its own tool uses', () => {
    const state = jsonAnswer();
    const first = translateAll(
      [
        messageStart('msg_1'),
        blockStart(0, { type: 'tool_use', id: 'toolu_w', name: 'weather', input: {} }),
        blockStop(0),
        messageDelta('tool_use'),
        messageStop(),
      ],
      state,
    );
    const second = translateAll(
      [messageStart('msg_2'), ...jsonToolUse(0, ['{}']), messageDelta('tool_use'), messageStop()],
      state,
    );
    expect([first.at(-1), second.at(-1)]).toMatchObject([{ reason: 'tool_calls' }, { reason: 'stop' }]);
  });

  it('leaves text blocks text, and reads the recorded json answer after a preamble', () => {
    const summary = summarize(
      translateAll(anthropicFixture('anthropic-json-tool.2.chunks.txt'), jsonAnswer()),
    );
    expect([summary.text, summary.toolCalls, summary.finishes]).toEqual([
      `I'll invoke the JSON response tool.{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}`,
      [],
      ['tool_use'],
    ]);
  });

  it('passes text deltas of a text answer through', () => {
    const deltas = translateAll(
      [
        messageStart(),
        blockStart(0, { type: 'text', text: '' }),
        text(0, '{}'),
        blockStop(0),
        messageDelta('end_turn'),
        messageStop(),
      ],
      jsonAnswer(),
    );
    expect(summarize(deltas).text).toBe('{}');
  });
});

const request = (fields: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-test-1',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
  ],
  ...fields,
});
const json = { type: 'json' } as const;
const weather = { name: 'weather', parameters: { type: 'object', properties: {} } };

describe('jsonAnswerMethodOf', () => {
  it('chooses output_format, the json tool or instructions', () => {
    const schema = { type: 'json_schema', schema: { type: 'object' } } as const;
    const thinking = { reasoning: { budgetTokens: 1024 } };
    expect([
      jsonAnswerMethodOf(request()),
      jsonAnswerMethodOf(request({ responseFormat: { type: 'text' } })),
      jsonAnswerMethodOf(request({ responseFormat: schema })),
      jsonAnswerMethodOf(request({ responseFormat: schema }), 'tool'),
      jsonAnswerMethodOf(request({ responseFormat: json })),
      jsonAnswerMethodOf(request({ responseFormat: json, ...thinking })),
      jsonAnswerMethodOf(request({ responseFormat: json, reasoning: { budgetTokens: 0 } })),
      jsonAnswerMethodOf(request({ responseFormat: schema, ...thinking })),
      jsonAnswerMethodOf(request({ responseFormat: schema, ...thinking }), 'tool'),
      jsonAnswerMethodOf(
        request({
          responseFormat: json,
          ...thinking,
          providerOptions: { anthropic: { thinking: { type: 'disabled' } } },
        }),
      ),
    ]).toEqual([
      undefined,
      undefined,
      'output_format',
      'tool',
      'tool',
      'instructions',
      'tool',
      'output_format',
      'instructions',
      'tool',
    ]);
  });
});

describe('toAnthropicParams with a JSON answer and prompt caching', () => {
  const cacheControl = { system: true, tools: true };

  it('keeps the breakpoints on the caller’s tools and system text: the json tool and the instruction come after', () => {
    const tool = toAnthropicParams(
      request({ responseFormat: json, tools: [weather], providerOptions: { anthropic: { cacheControl } } }),
    );
    const tools = tool.tools as Array<{ name: string; cache_control?: unknown }>;
    expect(tools.map((entry) => [entry.name, entry.cache_control !== undefined])).toEqual([
      ['weather', true],
      ['json', false],
    ]);
    const instructed = toAnthropicParams(
      request({
        responseFormat: json,
        reasoning: { budgetTokens: 1024 },
        providerOptions: { anthropic: { cacheControl } },
      }),
    );
    expect(instructed.system).toEqual([
      { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: jsonInstruction(json) },
    ]);
  });
});
