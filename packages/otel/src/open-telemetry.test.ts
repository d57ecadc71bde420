import { context, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  createTokenwire,
  type StreamEvent,
  TokenwireError,
  type TokenwireHooks,
  type ToolResultHookEvent,
} from '@tokenwire/core';
import { type MockStep, mockAdapter } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import { genAiProviderName } from './gen-ai-attributes.js';
import { openTelemetry } from './open-telemetry.js';
import {
  drain,
  type HistogramPoint,
  inMemoryTelemetry,
  millisecondsOf,
  type SpanSummary,
} from './open-telemetry.test-helpers.js';

const question = [{ role: 'user' as const, content: 'Weather in Paris?' }];
const usage = (inputTokens: number, outputTokens: number): MockStep => ({
  type: 'usage',
  usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
});
const answer = (text: string, model = 'mock-model-2025'): MockStep[] => [
  { type: 'start', model, responseId: 'resp_1' },
  { type: 'text', delta: text },
  usage(12, 4),
  { type: 'finish', reason: 'stop' },
];
const failure = (options: ConstructorParameters<typeof TokenwireError>[0]): MockStep => ({
  throw: new TokenwireError(options),
});

const chat = (attributes: Record<string, unknown>) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'mock',
  'gen_ai.request.model': 'm',
  ...attributes,
});
const finished = (model = 'mock-model-2025') => ({
  'gen_ai.response.model': model,
  'gen_ai.response.id': 'resp_1',
  'gen_ai.response.finish_reasons': ['stop'],
  'gen_ai.usage.input_tokens': 12,
  'gen_ai.usage.output_tokens': 4,
});
const measured = (attributes: Record<string, unknown>) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'mock',
  'gen_ai.request.model': 'm',
  ...attributes,
});
const tokens = (attributes: Record<string, unknown>, input: number, output: number) => [
  {
    name: 'gen_ai.client.token.usage',
    attributes: { ...attributes, 'gen_ai.token.type': 'input' },
    sum: input,
  },
  {
    name: 'gen_ai.client.token.usage',
    attributes: { ...attributes, 'gen_ai.token.type': 'output' },
    sum: output,
  },
];

interface Case {
  name: string;
  run(hooks: TokenwireHooks): Promise<StreamEvent[]>;
  spans: SpanSummary[];
  /** Histogram points as `{ name, attributes }` (and `sum` for token counts), one value each. */
  histograms: Array<{ name: string; attributes: Record<string, unknown>; sum?: number }>;
}

const cases: Case[] = [
  {
    name: 'a text stream: one chat span with the request, response and usage',
    run: (hooks) =>
      drain(
        createTokenwire({ providers: { mock: mockAdapter(answer('Sunny.')) }, hooks: [hooks] }).stream({
          model: 'mock/m',
          messages: question,
          temperature: 0.2,
          maxTokens: 100,
          topP: 0.9,
        }),
      ),
    spans: [
      {
        name: 'chat m',
        kind: SpanKind.CLIENT,
        status: { code: SpanStatusCode.UNSET },
        attributes: chat({
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.max_tokens': 100,
          'gen_ai.request.top_p': 0.9,
          ...finished(),
        }),
        events: [],
      },
    ],
    histograms: [
      {
        name: 'gen_ai.client.operation.duration',
        attributes: measured({ 'gen_ai.response.model': 'mock-model-2025' }),
      },
      ...tokens(measured({ 'gen_ai.response.model': 'mock-model-2025' }), 12, 4),
      { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: measured({}) },
    ],
  },
  {
    name: 'a tool stream: an invoke_agent span over a chat span per model call and the execute_tool span',
    run: (hooks) => {
      const adapter = mockAdapter([
        [
          { type: 'start', model: 'mock-model-2025', responseId: 'resp_0' },
          {
            type: 'tool_call',
            index: 0,
            id: 'call_1',
            name: 'get_weather',
            argumentsDelta: '{"city":"Paris"}',
          },
          usage(10, 6),
          { type: 'finish', reason: 'tool_calls' },
        ],
        answer('It is 21 °C in Paris.'),
      ]);
      return drain(
        createTokenwire({ providers: { mock: adapter }, hooks: [hooks] }).stream({
          model: 'mock/m',
          messages: question,
          tools: [{ name: 'get_weather', execute: () => ({ temperatureC: 21 }) }],
        }),
      );
    },
    spans: [
      {
        name: 'chat m',
        kind: SpanKind.CLIENT,
        parent: 'invoke_agent',
        status: { code: SpanStatusCode.UNSET },
        // The first model call: it ended calling the tool.
        attributes: chat({
          'gen_ai.response.finish_reasons': ['tool_calls'],
          'gen_ai.usage.input_tokens': 10,
          'gen_ai.usage.output_tokens': 6,
        }),
        events: [],
      },
      {
        name: 'execute_tool get_weather',
        kind: SpanKind.INTERNAL,
        parent: 'invoke_agent',
        status: { code: SpanStatusCode.UNSET },
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'get_weather',
          'gen_ai.tool.call.id': 'call_1',
          'gen_ai.tool.type': 'function',
        },
        events: [],
      },
      {
        // The next step goes to the model that answered the first.
        name: 'chat mock-model-2025',
        kind: SpanKind.CLIENT,
        parent: 'invoke_agent',
        status: { code: SpanStatusCode.UNSET },
        attributes: chat({ ...finished(), 'gen_ai.request.model': 'mock-model-2025' }),
        events: [],
      },
      {
        name: 'invoke_agent',
        kind: SpanKind.INTERNAL,
        status: { code: SpanStatusCode.UNSET },
        // Usage summed over the two steps.
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'mock',
          'gen_ai.request.model': 'm',
          'gen_ai.response.model': 'mock-model-2025',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 22,
          'gen_ai.usage.output_tokens': 10,
        },
        events: [],
      },
    ],
    histograms: [
      {
        name: 'gen_ai.client.operation.duration',
        attributes: measured({ 'gen_ai.response.model': 'mock-model-2025' }),
      },
      ...tokens(measured({ 'gen_ai.response.model': 'mock-model-2025' }), 22, 10),
      { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: measured({}) },
    ],
  },
  {
    name: 'a 429, a retry, then success: the retry is a span event of the one chat span',
    run: (hooks) => {
      const rateLimited = failure({
        code: 'rate_limit',
        status: 429,
        retryable: true,
        retryAfterMs: 5,
        provider: 'mock',
        message: 'Rate limit reached; retry after 5 ms.',
      });
      const adapter = mockAdapter([[rateLimited], answer('Sunny.')]);
      return drain(
        createTokenwire({ providers: { mock: adapter }, hooks: [hooks] }).stream({
          model: 'mock/m',
          messages: question,
        }),
      );
    },
    spans: [
      {
        name: 'chat m',
        kind: SpanKind.CLIENT,
        status: { code: SpanStatusCode.UNSET },
        attributes: chat(finished()),
        events: [
          {
            name: 'tokenwire.retry',
            attributes: { 'tokenwire.attempt': 1, 'error.type': 'rate_limit', 'tokenwire.retry.delay_ms': 5 },
          },
        ],
      },
    ],
    histograms: [
      {
        name: 'gen_ai.client.operation.duration',
        attributes: measured({ 'gen_ai.response.model': 'mock-model-2025' }),
      },
      ...tokens(measured({ 'gen_ai.response.model': 'mock-model-2025' }), 12, 4),
      { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: measured({}) },
    ],
  },
  {
    name: 'a fallback: the span ends on the model that answered, the failed one is an event',
    run: (hooks) => {
      const overloaded = failure({ code: 'overloaded', status: 529, provider: 'a', message: 'Overloaded.' });
      const tokenwire = createTokenwire({
        providers: { a: mockAdapter([overloaded]), b: mockAdapter(answer('Sunny.', 'y-2025')) },
        retries: 0,
        hooks: [hooks],
      });
      return drain(tokenwire.stream({ model: ['a/x', 'b/y'], messages: question }));
    },
    spans: [
      {
        name: 'chat y',
        kind: SpanKind.CLIENT,
        status: { code: SpanStatusCode.UNSET },
        attributes: chat({ 'gen_ai.provider.name': 'b', 'gen_ai.request.model': 'y', ...finished('y-2025') }),
        events: [
          {
            name: 'tokenwire.fallback',
            attributes: {
              'tokenwire.attempt': 1,
              'error.type': 'overloaded',
              'gen_ai.provider.name': 'a',
              'gen_ai.request.model': 'x',
              'tokenwire.fallback.provider': 'b',
              'tokenwire.fallback.model': 'y',
            },
          },
        ],
      },
    ],
    histograms: [
      {
        name: 'gen_ai.client.operation.duration',
        attributes: {
          ...measured({ 'gen_ai.response.model': 'y-2025' }),
          'gen_ai.provider.name': 'b',
          'gen_ai.request.model': 'y',
        },
      },
      ...tokens(
        {
          ...measured({ 'gen_ai.response.model': 'y-2025' }),
          'gen_ai.provider.name': 'b',
          'gen_ai.request.model': 'y',
        },
        12,
        4,
      ),
      {
        name: 'gen_ai.client.operation.time_to_first_chunk',
        attributes: measured({ 'gen_ai.provider.name': 'b', 'gen_ai.request.model': 'y' }),
      },
    ],
  },
  {
    name: 'a cancelled stream: finish reason cancelled, status unset, no estimated usage',
    run: async (hooks) => {
      const adapter = mockAdapter([
        { type: 'start', model: 'mock-model-2025' },
        { type: 'text', delta: 'Sun' },
        { stall: true },
      ]);
      const stream = createTokenwire({ providers: { mock: adapter }, hooks: [hooks] }).stream({
        model: 'mock/m',
        messages: question,
      });
      const events: StreamEvent[] = [];
      for await (const event of stream) {
        events.push(event);
        if (event.type === 'token') stream.cancel();
      }
      return events;
    },
    spans: [
      {
        name: 'chat m',
        kind: SpanKind.CLIENT,
        status: { code: SpanStatusCode.UNSET },
        attributes: chat({
          'gen_ai.response.model': 'mock-model-2025',
          'gen_ai.response.finish_reasons': ['cancelled'],
        }),
        events: [],
      },
    ],
    histograms: [
      {
        name: 'gen_ai.client.operation.duration',
        attributes: measured({ 'gen_ai.response.model': 'mock-model-2025' }),
      },
      { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: measured({}) },
    ],
  },
  {
    name: 'a 401: error.type is the TokenwireError code, the status is ERROR with its message',
    run: (hooks) => {
      const unauthorized = failure({
        code: 'authentication',
        status: 401,
        provider: 'mock',
        message: 'The mock API answered 401: check MOCK_API_KEY.',
      });
      return drain(
        createTokenwire({ providers: { mock: mockAdapter([unauthorized]) }, hooks: [hooks] }).stream({
          model: 'mock/m',
          messages: question,
        }),
      );
    },
    spans: [
      {
        name: 'chat m',
        kind: SpanKind.CLIENT,
        status: { code: SpanStatusCode.ERROR, message: 'The mock API answered 401: check MOCK_API_KEY.' },
        attributes: chat({ 'error.type': 'authentication' }),
        events: [],
      },
    ],
    histograms: [
      { name: 'gen_ai.client.operation.duration', attributes: measured({ 'error.type': 'authentication' }) },
    ],
  },
];

/** The points, one value each, as the cases list them (durations vary: no sum). */
function pointsOf(points: HistogramPoint[]) {
  return points.map(({ name, attributes, count, sum }) => {
    expect(count).toBe(1);
    return name === 'gen_ai.client.token.usage' ? { name, attributes, sum } : { name, attributes };
  });
}

describe('openTelemetry()', () => {
  it.each(cases)('$name', async ({ run, spans, histograms }) => {
    const telemetry = inMemoryTelemetry();
    await run(openTelemetry(telemetry));
    expect(telemetry.spans()).toEqual(spans);
    expect(pointsOf(await telemetry.histograms())).toEqual(expect.arrayContaining(histograms));
    expect(await telemetry.histograms()).toHaveLength(histograms.length);
  });

  it('starts the chat span when the stream starts and ends it when the stream ends', async () => {
    const telemetry = inMemoryTelemetry();
    const seen: Array<{ startedAt: number; durationMs: number }> = [];
    const tool = { startedAt: 0, durationMs: 0 };
    const timings: TokenwireHooks = {
      onFinish: ({ startedAt, durationMs }) => void seen.push({ startedAt, durationMs }),
      onToolResult: ({ toolStartedAt, durationMs }) =>
        Object.assign(tool, { startedAt: toolStartedAt, durationMs }),
    };
    const adapter = mockAdapter([
      [
        { type: 'tool_call', index: 0, id: 'call_1', name: 'wait', argumentsDelta: '{}' },
        { type: 'finish', reason: 'tool_calls' },
      ],
      answer('Done.'),
    ]);
    const wait = () => new Promise((resolve) => setTimeout(() => resolve('waited'), 20));
    await drain(
      createTokenwire({ providers: { mock: adapter }, hooks: [openTelemetry(telemetry), timings] }).stream({
        model: 'mock/m',
        messages: question,
        tools: [{ name: 'wait', execute: wait }],
      }),
    );
    const [firstChat, toolSpan, lastChat, agentSpan] = telemetry.readableSpans();
    const [stream] = seen;
    const streamEnd = (stream?.startedAt ?? 0) + (stream?.durationMs ?? 0);
    expect(millisecondsOf(agentSpan?.startTime ?? [0, 0])).toBe(stream?.startedAt);
    expect(millisecondsOf(agentSpan?.endTime ?? [0, 0])).toBe(streamEnd);
    expect(millisecondsOf(firstChat?.startTime ?? [0, 0])).toBe(stream?.startedAt);
    expect(millisecondsOf(firstChat?.endTime ?? [0, 0])).toBeLessThanOrEqual(tool.startedAt);
    expect(millisecondsOf(lastChat?.startTime ?? [0, 0])).toBeGreaterThanOrEqual(
      tool.startedAt + tool.durationMs,
    );
    expect(millisecondsOf(lastChat?.endTime ?? [0, 0])).toBe(streamEnd);
    expect(millisecondsOf(toolSpan?.startTime ?? [0, 0])).toBe(tool.startedAt);
    expect(millisecondsOf(toolSpan?.endTime ?? [0, 0])).toBe(tool.startedAt + tool.durationMs);
    expect(tool.durationMs).toBeGreaterThanOrEqual(15);
  });

  it('uses the bucket boundaries the convention recommends', async () => {
    const telemetry = inMemoryTelemetry();
    await drain(
      createTokenwire({
        providers: { mock: mockAdapter(answer('Sunny.')) },
        hooks: [openTelemetry(telemetry)],
      }).stream({
        model: 'mock/m',
        messages: question,
      }),
    );
    const boundaries = Object.fromEntries(
      (await telemetry.histograms()).map((point) => [point.name, point.boundaries]),
    );
    const seconds = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    expect(boundaries).toEqual({
      'gen_ai.client.operation.duration': seconds,
      'gen_ai.client.operation.time_to_first_chunk': seconds,
      'gen_ai.client.token.usage': [
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
      ],
    });
  });

  it('records no content by default', async () => {
    const telemetry = inMemoryTelemetry();
    await weatherToolStream(openTelemetry(telemetry));
    const names = telemetry.readableSpans().flatMap((span) => Object.keys(span.attributes));
    expect(names.filter((name) => /messages|arguments|result/.test(name))).toEqual([]);
  });

  it('records the messages, tool arguments and results with captureContent: true', async () => {
    const telemetry = inMemoryTelemetry();
    await weatherToolStream(openTelemetry({ ...telemetry, captureContent: true }));
    const [firstChat, toolSpan, chatSpan] = telemetry.readableSpans();
    expect(firstChat?.attributes['gen_ai.input.messages']).toBe(
      chatSpan?.attributes['gen_ai.input.messages'],
    );
    expect(JSON.parse(String(chatSpan?.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Answer briefly.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    ]);
    expect(JSON.parse(String(chatSpan?.attributes['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'It is 21 °C in Paris.' }],
        finish_reason: 'stop',
      },
    ]);
    expect(toolSpan?.attributes).toMatchObject({
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': '{"temperatureC":21}',
    });
  });

  it('marks a failed tool with error.type tool_error and records no result for it', async () => {
    const telemetry = inMemoryTelemetry();
    await weatherToolStream(openTelemetry({ ...telemetry, captureContent: true }), () => {
      throw new Error('weather service down');
    });
    const toolSpan = telemetry.readableSpans().find((span) => span.name === 'execute_tool get_weather');
    expect(toolSpan?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(toolSpan?.attributes['error.type']).toBe('tool_error');
    expect(toolSpan?.attributes).not.toHaveProperty('gen_ai.tool.call.result');
  });

  it('records to the global providers when given none, even ones registered after the hooks were made', async () => {
    const hooks = openTelemetry();
    const telemetry = inMemoryTelemetry();
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    metrics.setGlobalMeterProvider(telemetry.meterProvider);
    try {
      await drain(
        createTokenwire({ providers: { mock: mockAdapter(answer('Sunny.')) }, hooks: [hooks] }).stream({
          model: 'mock/m',
          messages: question,
        }),
      );
      expect(telemetry.spans().map((span) => span.name)).toEqual(['chat m']);
      expect(await telemetry.histograms()).toHaveLength(4);
    } finally {
      trace.disable();
      metrics.disable();
    }
  });

  it('makes the stream’s span a child of the span active where the stream is read', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const telemetry = inMemoryTelemetry();
      await telemetry.tracerProvider.getTracer('app').startActiveSpan('handle request', async (parent) => {
        await weatherToolStream(openTelemetry(telemetry));
        parent.end();
      });
      expect(telemetry.spans().map(({ name, parent }) => ({ name, parent }))).toEqual([
        { name: 'chat m', parent: 'invoke_agent' },
        { name: 'execute_tool get_weather', parent: 'invoke_agent' },
        { name: 'chat m', parent: 'invoke_agent' },
        { name: 'invoke_agent', parent: 'handle request' },
        { name: 'handle request', parent: undefined },
      ]);
    } finally {
      context.disable();
    }
  });

  it('records the cost under tokenwire.cost.*, when the price is known', async () => {
    const telemetry = inMemoryTelemetry();
    const tokenwire = createTokenwire({
      providers: { mock: mockAdapter(answer('Sunny.')) },
      prices: { 'mock/m': { input: 1_000_000, output: 2_000_000 } }, // $1 an input token, $2 an output one
      hooks: [openTelemetry(telemetry)],
    });
    await drain(tokenwire.stream({ model: 'mock/m', messages: question }));
    const attributes = telemetry.readableSpans()[0]?.attributes ?? {};
    expect(
      Object.fromEntries(Object.entries(attributes).filter(([name]) => name.startsWith('tokenwire.'))),
    ).toEqual({
      'tokenwire.cost.total_usd': 20,
      'tokenwire.cost.input_usd': 12,
      'tokenwire.cost.cached_input_usd': 0,
      'tokenwire.cost.cache_write_usd': 0,
      'tokenwire.cost.output_usd': 8,
      'tokenwire.cost.reasoning_usd': 0,
    });
  });

  it('forgets a stream once it has ended', async () => {
    const telemetry = inMemoryTelemetry();
    const hooks = openTelemetry(telemetry);
    const ended: ToolResultHookEvent[] = [];
    const recorder: TokenwireHooks = { onToolResult: (event) => void ended.push(event) };
    await drain(
      createTokenwire({ providers: { mock: weatherAdapter() }, hooks: [hooks, recorder] }).stream({
        model: 'mock/m',
        messages: question,
        tools: [{ name: 'get_weather', execute: () => 'sunny' }],
      }),
    );
    expect(telemetry.readableSpans()).toHaveLength(4);
    // A late call about the ended stream finds no span to hang a tool span on.
    hooks.onToolResult?.(ended[0] as ToolResultHookEvent);
    expect(telemetry.readableSpans()).toHaveLength(4);
  });
});

describe('genAiProviderName', () => {
  it.each([
    ['openai', 'openai'],
    ['anthropic', 'anthropic'],
    ['google', 'gcp.gemini'],
    ['ollama', 'ollama'],
    ['deepseek', 'deepseek'],
    ['xai', 'x_ai'],
    ['groq', 'groq'],
    ['mistral', 'mistral_ai'],
    ['azure', 'azure.ai.openai'],
    ['my-gateway', 'my-gateway'],
    ['toString', 'toString'],
  ])('maps %s to %s', (provider, expected) => {
    expect(genAiProviderName(provider)).toBe(expected);
  });
});

/** Asks the weather with an executable tool (that throws, with `execute` given so). */
function weatherToolStream(hooks: TokenwireHooks, execute: () => unknown = () => ({ temperatureC: 21 })) {
  return drain(
    createTokenwire({ providers: { mock: weatherAdapter() }, hooks: [hooks] }).stream({
      model: 'mock/m',
      messages: [{ role: 'system', content: 'Answer briefly.' }, ...question],
      tools: [{ name: 'get_weather', execute }],
    }),
  );
}

/** A model that calls get_weather for Paris, then answers. */
function weatherAdapter() {
  return mockAdapter([
    [
      { type: 'tool_call', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '{"city":"Paris"}' },
      { type: 'finish', reason: 'tool_calls' },
    ],
    answer('It is 21 °C in Paris.'),
  ]);
}
