import type { ExpectedOutcome } from './scenario-types.js';

/** The vendor's ids of the scenarios' calls: the two weather calls', the time call's. */
export type CallIds = { weather?: [string, string]; time?: string };

/**
 * The normalized answers every provider's scenarios end in: whatever the wire, a text stream reads
 * "Hello, world!", a reasoning stream "Two plus two is four.", a tool call asks for Paris' weather.
 * Call ids are the vendor's own (omitted where the wire has none, as Gemini's and Ollama's).
 */
export const expectedOutcomes = {
  text: {
    content: 'Hello, world!',
    reason: 'stop',
    usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16, estimated: false },
  },
  reasoning: (signature?: string): ExpectedOutcome => ({
    reasoning: 'Two plus two is four.',
    ...(signature === undefined ? {} : { signature }),
    content: 'The answer is 4.',
    reason: 'stop',
  }),
  toolCall: (ids: CallIds = {}): ExpectedOutcome => ({
    toolCalls: [weather('Paris', ids.weather?.[0])],
    reason: 'tool_calls',
  }),
  parallelToolCalls: (ids: CallIds = {}, content?: string): ExpectedOutcome => ({
    ...(content === undefined ? {} : { content }),
    toolCalls: [weather('Paris', ids.weather?.[0]), weather('Tokyo', ids.weather?.[1])],
    reason: 'tool_calls',
  }),
  emptyArgumentsToolCall: (ids: CallIds = {}): ExpectedOutcome => ({
    toolCalls: [{ ...(ids.time === undefined ? {} : { id: ids.time }), name: 'get_time', input: {} }],
    reason: 'tool_calls',
  }),
  unicode: { content: '你好🙂 Grüße', reason: 'stop' },
  unknownEvents: { content: 'Hello, world!', reason: 'stop' },
} satisfies Record<string, ExpectedOutcome | ((...args: never[]) => ExpectedOutcome)>;

function weather(city: string, id: string | undefined) {
  return { ...(id === undefined ? {} : { id }), name: 'get_weather', input: { city } };
}
