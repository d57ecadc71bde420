import { isDeepStrictEqual } from 'node:util';
import type { ConformanceScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createBoltAdapter } from './custom-ndjson-adapter.js';
import { boltWire } from './lib/bolt-wire.js';

// The made-up Bolt wire (lib/bolt-wire.ts) is served by the replay server at `POST /bolt/stream`,
// so the conformance suite drives the adapter as it really talks, on both transports.
const text = (value: string) => ({ text: value });
const end = (reason = 'complete', tokensIn = 12, tokensOut = 4) => ({ end: { reason, tokensIn, tokensOut } });
const call = (index: number, args: string, id?: string, name?: string) => ({
  call: { index, args, ...(id === undefined ? {} : { id, name }) },
});

const boltScenarios: ConformanceScenarios = {
  protocol: boltWire,
  textPayloads: (texts) => [...texts.map(text), end()],
  text: {
    payloads: [text('Hello'), text(', '), text('world'), text('!'), end()],
    recordsBeforeOutput: 0,
    cut: { after: 2, content: 'Hello, ' },
    expected: {
      content: 'Hello, world!',
      reason: 'stop',
      usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16, estimated: false },
    },
  },
  reasoning: {
    payloads: [{ thinking: 'Two plus two ' }, { thinking: 'is four.' }, text('The answer is 4.'), end()],
    expected: { reasoning: 'Two plus two is four.', content: 'The answer is 4.', reason: 'stop' },
  },
  toolCall: {
    payloads: [call(0, '{"ci', 'call_1', 'get_weather'), call(0, 'ty": "Par'), call(0, 'is"}'), end('tools')],
    expected: {
      toolCalls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
      reason: 'tool_calls',
    },
  },
  parallelToolCalls: {
    payloads: [
      call(0, '{"city":"Paris"}', 'call_1', 'get_weather'),
      call(1, '{"city":"Tokyo"}', 'call_2', 'get_weather'),
      end('tools'),
    ],
    expected: {
      toolCalls: [
        { id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        { id: 'call_2', name: 'get_weather', input: { city: 'Tokyo' } },
      ],
      reason: 'tool_calls',
    },
  },
  emptyArgumentsToolCall: {
    payloads: [call(0, '', 'call_time', 'get_time'), end('tools')],
    expected: { toolCalls: [{ id: 'call_time', name: 'get_time', input: {} }], reason: 'tool_calls' },
  },
  usage: {
    payloads: [text('Hi'), end('complete', 100, 20)],
    expected: {
      content: 'Hi',
      usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120, estimated: false },
    },
  },
  unicode: {
    payloads: [text('你好'), text('🙂 Grüße'), end()],
    expected: { content: '你好🙂 Grüße', reason: 'stop' },
  },
  unknownEvents: {
    payloads: [text('Hello'), { future: { detail: 1 } }, { ...text(', world!'), extra: true }, end()],
    expected: { content: 'Hello, world!', reason: 'stop' },
  },
  // Bolt takes `responseFormat` as tokenwire writes it.
  structuredOutput: {
    answerPayloads: (fragments, _format, stop) => [
      ...fragments.map(text),
      end(stop === 'stop' ? 'complete' : 'limit'),
    ],
    requestProblems: (body, format) => {
      const sent = (body as { responseFormat?: unknown }).responseFormat;
      return isDeepStrictEqual(sent, format) ? [] : [`responseFormat: ${JSON.stringify(sent)}`];
    },
  },
  retriesInBandError: true,
  validateRequest(body) {
    const request = body as { model?: unknown; turns?: unknown };
    const problems: string[] = [];
    if (typeof request.model !== 'string') problems.push('model: missing');
    if (!Array.isArray(request.turns) || request.turns.length === 0) problems.push('turns: missing or empty');
    return problems;
  },
};

for (const transport of ['direct', 'sdk'] as const) {
  describeAdapterConformance({
    name: `bolt (${transport})`,
    createAdapter: (baseURL) => createBoltAdapter({ baseURL, apiKey: 'bolt-test-key', transport }),
    scenarios: boltScenarios,
  });
}
