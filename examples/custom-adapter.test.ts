import { isDeepStrictEqual } from 'node:util';
import { type ConformanceScenarios, createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAcmeAdapter } from './custom-adapter.js';
import { acmeWire } from './lib/acme-wire.js';
import { runExample } from './lib/run-example.js';

// The made-up Acme wire (lib/acme-wire.ts) is served by the replay server at its own path,
// `POST /v2/generate`, so the conformance suite drives the adapter as it really talks.
const start = { type: 'response.start', id: 'resp_1', model: 'acme-1' };
const text = (value: string) => ({ type: 'text', text: value });
const done = (reason: string, input = 12, output = 4) => ({ type: 'done', reason, usage: { input, output } });
const tool = (call: number, fragment: string, id?: string, name?: string) => ({
  type: 'tool',
  call,
  ...(id === undefined ? {} : { id, name }),
  arguments: fragment,
});

const acmeScenarios: ConformanceScenarios = {
  protocol: acmeWire,
  textPayloads: (texts) => [start, ...texts.map(text), done('stop')],
  text: {
    payloads: [start, text('Hello'), text(', '), text('world'), text('!'), done('stop')],
    recordsBeforeOutput: 1,
    cut: { after: 3, content: 'Hello, ' },
    expected: {
      content: 'Hello, world!',
      reason: 'stop',
      usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16, estimated: false },
    },
  },
  reasoning: {
    payloads: [
      start,
      { type: 'thinking', text: 'Two plus two ' },
      { type: 'thinking', text: 'is four.' },
      text('The answer is 4.'),
      done('stop'),
    ],
    expected: { reasoning: 'Two plus two is four.', content: 'The answer is 4.', reason: 'stop' },
  },
  toolCall: {
    payloads: [
      start,
      tool(0, '{"ci', 'call_1', 'get_weather'),
      tool(0, 'ty": "Par'),
      tool(0, 'is"}'),
      done('tool_use'),
    ],
    expected: {
      toolCalls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }],
      reason: 'tool_calls',
    },
  },
  parallelToolCalls: {
    payloads: [
      start,
      tool(0, '{"city":', 'call_1', 'get_weather'),
      tool(0, '"Paris"}'),
      tool(1, '{"city":"To', 'call_2', 'get_weather'),
      tool(1, 'kyo"}'),
      done('tool_use'),
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
    payloads: [start, tool(0, '', 'call_time', 'get_time'), done('tool_use')],
    expected: { toolCalls: [{ id: 'call_time', name: 'get_time', input: {} }], reason: 'tool_calls' },
  },
  usage: {
    payloads: [start, text('Hi'), done('stop', 100, 20)],
    expected: {
      content: 'Hi',
      usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120, estimated: false },
    },
  },
  unicode: {
    payloads: [start, text('你好'), text('🙂 Grüße'), done('stop')],
    expected: { content: '你好🙂 Grüße', reason: 'stop' },
  },
  unknownEvents: {
    payloads: [
      start,
      text('Hello'),
      { type: 'future.event', detail: 1 },
      { ...text(', world!'), extra: true },
      done('stop'),
    ],
    expected: { content: 'Hello, world!', reason: 'stop' },
  },
  // Acme takes `responseFormat` as tokenwire writes it (the adapter sends the request as is).
  structuredOutput: {
    answerPayloads: (fragments, _format, end) => [
      start,
      ...fragments.map(text),
      done(end === 'stop' ? 'stop' : 'max_tokens'),
    ],
    requestProblems: (body, format) => {
      const sent = (body as { responseFormat?: unknown }).responseFormat;
      return isDeepStrictEqual(sent, format) ? [] : [`responseFormat: ${JSON.stringify(sent)}`];
    },
  },
  retriesInBandError: true,
  validateRequest(body) {
    const request = body as { model?: unknown; stream?: unknown; messages?: unknown };
    const problems: string[] = [];
    if (typeof request.model !== 'string') problems.push('model: missing');
    if (request.stream !== true) problems.push('stream: must be true');
    if (!Array.isArray(request.messages) || request.messages.length === 0)
      problems.push('messages: missing or empty');
    return problems;
  },
};

for (const transport of ['direct', 'sdk'] as const) {
  describeAdapterConformance({
    name: `acme (${transport})`,
    createAdapter: (baseURL) => createAcmeAdapter({ baseURL, apiKey: 'acme-test-key', transport }),
    scenarios: acmeScenarios,
  });
}

describe('custom-adapter.ts, run', () => {
  let replay: ReplayServer;
  beforeEach(async () => {
    replay = await createReplayServer({ wireFormats: [acmeWire] });
  });
  afterEach(async () => {
    await replay.close();
  });

  it('streams from the Acme service at ACME_BASE_URL', async () => {
    replay.enqueue({ payloads: [start, text('Hello '), text('from Acme.'), done('stop', 5, 3)] });
    const environment = { ACME_BASE_URL: replay.url, ACME_API_KEY: 'acme-test-key' };
    const run = await runExample('custom-adapter.ts', { environment });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Hello from Acme.\n[stop, 3 tokens]\n');
    expect(replay.requests[0]?.headers.authorization).toBe('Bearer acme-test-key');
  });

  it('says which variable to set when the key is missing', async () => {
    const run = await runExample('custom-adapter.ts', {});
    expect(run.stdout).toBe(
      "[configuration] No API key for provider 'acme': set the ACME_API_KEY environment variable, or pass apiKey in the 'acme' provider settings.\n",
    );
  });
});
