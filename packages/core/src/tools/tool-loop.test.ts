import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { Tool, ToolExecutionContext } from '../model/tool-types.js';
import type { Adapter, AdapterDelta, ErrorEvent, FinishEvent, Message, StreamEvent } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import {
  collectEvents,
  type Step,
  scriptedAdapter,
  typesOf,
} from '../runtime/scripted-adapter.test-helpers.js';
import { parseSSE, toSSE } from '../sse/sse.js';

const messages: Message[] = [{ role: 'user', content: 'Weather in Paris?' }];
const fastRetries = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 };

/** A step that calls `name` with `args` (one call per entry), with usage 10 in / 5 out. */
function callStep(...calls: Array<[id: string, name: string, args: string]>): Step[] {
  return [
    { type: 'start', model: 'm' },
    ...calls.map(
      ([id, name, args], index): Step => ({ type: 'tool_call', index, id, name, argumentsDelta: args }),
    ),
    { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
    { type: 'finish', reason: 'tool_calls' },
  ];
}

function answerStep(text: string): Step[] {
  return [
    { type: 'start', model: 'm' },
    { type: 'text', delta: text },
    { type: 'usage', usage: { inputTokens: 20, outputTokens: 3, totalTokens: 23 } },
    { type: 'finish', reason: 'stop' },
  ];
}

function client(adapter: Adapter) {
  return createTokenwire({ providers: { mock: adapter }, retries: fastRetries });
}

function lastOf<T extends StreamEvent>(events: StreamEvent[]): T {
  return events[events.length - 1] as T;
}

function ofType<T extends StreamEvent['type']>(events: StreamEvent[], type: T) {
  return events.filter((event) => event.type === type) as Array<Extract<StreamEvent, { type: T }>>;
}

interface WeatherInput {
  city: string;
}

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

function weatherTool(execute: Tool<WeatherInput>['execute']): Tool {
  return { name: 'get_weather', parameters: weatherSchema, execute: execute as Tool['execute'] };
}

describe('a stream with executable tools', () => {
  it('runs the tool, sends its result back and streams the answer, as one stream', async () => {
    const adapter = scriptedAdapter([
      callStep(['call_1', 'get_weather', '{"city":"Paris"}']),
      answerStep('21 °C.'),
    ]);
    const seen: Array<{ input: unknown; context: ToolExecutionContext }> = [];
    const tool = weatherTool((input, context) => {
      seen.push({ input, context });
      return { temperature: 21 };
    });
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages, tools: [tool] }));

    expect(typesOf(events)).toEqual([
      'start',
      'step_start',
      'tool_call_chunk',
      'tool_call_complete',
      'step_finish',
      'tool_result',
      'step_start',
      'token',
      'step_finish',
      'finish',
    ]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.input).toEqual({ city: 'Paris' });
    expect(seen[0]?.context.toolCallId).toBe('call_1');
    expect(seen[0]?.context.signal).toBeInstanceOf(AbortSignal);
    expect(seen[0]?.context.messages.at(-1)).toMatchObject({
      role: 'assistant',
      toolCalls: [{ id: 'call_1' }],
    });
    expect(ofType(events, 'tool_result')).toEqual([
      { type: 'tool_result', toolCallId: 'call_1', name: 'get_weather', output: { temperature: 21 } },
    ]);
    expect(ofType(events, 'step_start').map((event) => event.step)).toEqual([1, 2]);

    const toolTurn: Message = {
      role: 'tool',
      toolCallId: 'call_1',
      name: 'get_weather',
      content: '{"temperature":21}',
    };
    expect(adapter.requests).toHaveLength(2);
    expect(adapter.requests[1]?.messages).toEqual([
      messages[0],
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', input: { city: 'Paris' } },
        ],
      },
      toolTurn,
    ]);
    const finish = lastOf<FinishEvent>(events);
    expect(finish).toMatchObject({ reason: 'stop', content: '21 °C.' });
    expect(finish.usage).toEqual({ inputTokens: 30, outputTokens: 8, totalTokens: 38, estimated: false });
    expect(finish.messages).toEqual([
      ...(adapter.requests[1]?.messages.slice(1) ?? []),
      { role: 'assistant', content: '21 °C.' },
    ]);
    expect(finish.steps?.map(({ step, reason, content }) => ({ step, reason, content }))).toEqual([
      { step: 1, reason: 'tool_calls', content: '' },
      { step: 2, reason: 'stop', content: '21 °C.' },
    ]);
    expect(finish.steps?.[0]?.toolResults).toHaveLength(1);
    expect(finish.toolCalls.map((call) => call.id)).toEqual(['call_1']);
    expect(finish.maxStepsReached).toBeUndefined();
  });

  it('accumulates the text over the steps', async () => {
    const first: Step[] = [
      { type: 'text', delta: 'Let me check. ' },
      ...callStep(['c1', 'get_weather', '{"city":"Oslo"}']),
    ];
    const adapter = scriptedAdapter([first, answerStep('It is 3 °C.')]);
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, tools: [weatherTool(() => 'cold')] }),
    );
    expect(ofType(events, 'token').map((event) => event.accumulatedContent)).toEqual([
      'Let me check. ',
      'Let me check. It is 3 °C.',
    ]);
    const finish = lastOf<FinishEvent>(events);
    expect(finish.content).toBe('Let me check. It is 3 °C.');
    expect(
      finish.messages.filter((message) => message.role === 'assistant').map((turn) => turn.content),
    ).toEqual(['Let me check. ', 'It is 3 °C.']);
    expect(adapter.requests[1]?.messages[2]).toEqual({
      role: 'tool',
      toolCallId: 'c1',
      name: 'get_weather',
      content: 'cold',
    });
  });

  it('runs the calls of one step at the same time', async () => {
    let started = 0;
    let release: () => void = () => {};
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tool = weatherTool(async ({ city }) => {
      if (++started === 2) release();
      await bothStarted; // a loop running calls one after the other never gets past this
      return city;
    });
    const adapter = scriptedAdapter([
      callStep(['a', 'get_weather', '{"city":"Paris"}'], ['b', 'get_weather', '{"city":"Rome"}']),
      answerStep('Both mild.'),
    ]);
    const finish = await client(adapter)
      .stream({ model: 'mock/m', messages, tools: [tool] })
      .result();
    expect(started).toBe(2);
    expect(finish.messages.filter((message) => message.role === 'tool')).toEqual([
      { role: 'tool', toolCallId: 'a', name: 'get_weather', content: 'Paris' },
      { role: 'tool', toolCallId: 'b', name: 'get_weather', content: 'Rome' },
    ]);
  });

  it('sends a throwing tool back as an error result and goes on', async () => {
    const adapter = scriptedAdapter([
      callStep(['c1', 'get_weather', '{"city":"Paris"}']),
      answerStep('Sorry.'),
    ]);
    const tool = weatherTool(() => {
      throw new Error('weather service down');
    });
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages, tools: [tool] }));
    expect(ofType(events, 'tool_result')).toEqual([
      {
        type: 'tool_result',
        toolCallId: 'c1',
        name: 'get_weather',
        output: 'get_weather failed: weather service down',
        isError: true,
      },
    ]);
    expect(adapter.requests[1]?.messages[2]).toMatchObject({ role: 'tool', isError: true });
    expect(lastOf(events)).toMatchObject({ type: 'finish', reason: 'stop', content: 'Sorry.' });
  });

  it('sends an output that cannot be JSON back as an error result', async () => {
    const adapter = scriptedAdapter([
      callStep(['c1', 'get_weather', '{"city":"Paris"}']),
      answerStep('Hmm.'),
    ]);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, tools: [weatherTool(() => circular)] }),
    );
    const [result] = ofType(events, 'tool_result');
    expect(result).toMatchObject({ isError: true });
    expect(result?.output).toMatch(/^get_weather failed: .*circular/i);
    expect(lastOf(events)).toMatchObject({ type: 'finish', reason: 'stop' });
  });

  it('refuses an input that breaks the schema without calling execute', async () => {
    const calls: unknown[] = [];
    const adapter = scriptedAdapter([
      callStep(['c1', 'get_weather', '{"town":"Paris"}'], ['c2', 'get_weather', '{"city":']),
      answerStep('Let me retry.'),
    ]);
    const tool = weatherTool((input) => calls.push(input));
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages, tools: [tool] }));
    expect(calls).toEqual([]);
    const [first, second] = lastOf<FinishEvent>(events).steps?.[0]?.toolResults ?? []; // in call order
    expect(first).toMatchObject({ toolCallId: 'c1', isError: true });
    expect(first?.output).toMatch(/^Invalid input for get_weather: .*city/);
    expect(second).toMatchObject({ toolCallId: 'c2', isError: true });
    expect(second?.output).toBe('The arguments of get_weather are not valid JSON: "{\\"city\\":".');
  });

  it('checks the input with a Standard Schema, whose output execute gets', async () => {
    const upperCity = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value: unknown) => {
          const city = (value as { city?: unknown }).city;
          return typeof city === 'string'
            ? { value: { city: city.toUpperCase() } }
            : { issues: [{ message: 'Expected a string', path: ['city'] }] };
        },
        jsonSchema: { input: () => weatherSchema, output: () => weatherSchema },
      },
    };
    const inputs: unknown[] = [];
    const tool: Tool = {
      name: 'get_weather',
      parameters: upperCity as never,
      execute: (input) => inputs.push(input),
    };
    const adapter = scriptedAdapter([
      callStep(['c1', 'get_weather', '{"city":"paris"}'], ['c2', 'get_weather', '{"city":7}']),
      answerStep('Done.'),
    ]);
    const events = await collectEvents(client(adapter).stream({ model: 'mock/m', messages, tools: [tool] }));
    expect(inputs).toEqual([{ city: 'PARIS' }]);
    expect(ofType(events, 'tool_result').find((result) => result.toolCallId === 'c2')).toMatchObject({
      output: 'Invalid input for get_weather: /city: Expected a string.',
      isError: true,
    });
    expect(adapter.requests[0]?.tools?.[0]?.parameters).toEqual(weatherSchema);
  });

  it('answers a call to a tool nobody declared with an error result', async () => {
    const adapter = scriptedAdapter([callStep(['c1', 'get_time', '{}']), answerStep('Hmm.')]);
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, tools: [weatherTool(() => 'sunny')] }),
    );
    expect(ofType(events, 'tool_result')).toEqual([
      {
        type: 'tool_result',
        toolCallId: 'c1',
        name: 'get_time',
        output: "There is no tool named 'get_time'.",
        isError: true,
      },
    ]);
  });

  it('stops at maxSteps with the last results in messages', async () => {
    let runs = 0;
    const adapter = scriptedAdapter([callStep(['c', 'get_weather', '{"city":"Paris"}'])]);
    const stream = client(adapter).stream({
      model: 'mock/m',
      messages,
      tools: [weatherTool(() => ++runs)],
      maxSteps: 2,
    });
    const finish = await stream.result();
    expect(adapter.calls).toBe(2);
    expect(runs).toBe(2);
    expect(finish).toMatchObject({ reason: 'tool_calls', maxStepsReached: true });
    expect(finish.steps).toHaveLength(2);
    expect(finish.usage.totalTokens).toBe(30);
    expect(finish.messages.map((message) => message.role)).toEqual([
      'assistant',
      'tool',
      'assistant',
      'tool',
    ]);
  });

  it('leaves calls of tools without execute to the caller, after running the others', async () => {
    const adapter = scriptedAdapter([
      callStep(['c1', 'get_weather', '{"city":"Paris"}'], ['c2', 'book_flight', '{"to":"Paris"}']),
      answerStep('never sent'),
    ]);
    const bookFlight: Tool = { name: 'book_flight', parameters: { type: 'object' } };
    const finish = await client(adapter)
      .stream({ model: 'mock/m', messages, tools: [weatherTool(() => 'sunny'), bookFlight] })
      .result();
    expect(adapter.calls).toBe(1);
    expect(finish.reason).toBe('tool_calls');
    expect(finish.toolCalls.map((call) => call.name)).toEqual(['get_weather', 'book_flight']);
    expect(finish.messages.map((message) => message.role)).toEqual(['assistant', 'tool']);
    expect(finish.steps?.[0]?.toolResults.map((result) => result.toolCallId)).toEqual(['c1']);
  });

  it('refuses an execute that is not a function before sending anything', async () => {
    const adapter = scriptedAdapter([answerStep('never')]);
    const stream = client(adapter).stream({
      model: 'mock/m',
      messages,
      tools: [{ name: 'get_weather', execute: 'run' as never }],
    });
    const events = await collectEvents(stream);
    expect(typesOf(events)).toEqual(['error']);
    expect(lastOf<ErrorEvent>(events).error.message).toContain('tools[0].execute must be a function');
    expect(adapter.calls).toBe(0);
  });

  it('refuses a maxSteps that is not a whole number from 1', async () => {
    const adapter = scriptedAdapter([answerStep('never')]);
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, tools: [weatherTool(() => 1)], maxSteps: 0 }),
    );
    expect(lastOf<ErrorEvent>(events).error).toMatchObject({ code: 'invalid_request' });
    expect(lastOf<ErrorEvent>(events).error.message).toContain('maxSteps');
  });
});

describe('a stream with executable tools, over SSE', () => {
  it('reaches the browser with its step and tool events and every turn in finish.messages', async () => {
    const scripts = [callStep(['c1', 'get_weather', '{"city":"Paris"}']), answerStep('21 °C.')];
    const request = { model: 'mock/m', messages, tools: [weatherTool(() => ({ temperature: 21 }))] };
    const direct = await collectEvents(client(scriptedAdapter(scripts)).stream(request));
    const decoded = await collectEvents(parseSSE(toSSE(client(scriptedAdapter(scripts)).stream(request))));
    expect(typesOf(decoded)).toEqual(typesOf(direct));
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(lastOf<FinishEvent>(decoded).messages).toHaveLength(3);
  });
});

describe('a stream with executable tools, when things go wrong', () => {
  it('retries a second step that fails before any output', async () => {
    const overloaded = new TokenwireError({ code: 'overloaded', message: 'Overloaded', provider: 'mock' });
    const adapter = scriptedAdapter([
      callStep(['c1', 'get_weather', '{"city":"Paris"}']),
      [{ throw: overloaded }],
      answerStep('21 °C.'),
    ]);
    const finish = await client(adapter)
      .stream({ model: 'mock/m', messages, tools: [weatherTool(() => 21)] })
      .result();
    expect(adapter.calls).toBe(3);
    expect(adapter.requests[2]?.messages).toHaveLength(3);
    expect(finish).toMatchObject({ reason: 'stop', content: '21 °C.' });
  });

  it('keeps later steps on the provider that answered the first', async () => {
    const unavailable = new TokenwireError({
      code: 'server',
      message: 'Down',
      provider: 'first',
      retryable: true,
    });
    const first = scriptedAdapter([[{ throw: unavailable }], answerStep('from first')], 'first');
    const second = scriptedAdapter(
      [callStep(['c1', 'get_weather', '{"city":"Paris"}']), answerStep('from second')],
      'second',
    );
    const tokenwire = createTokenwire({ providers: { first, second }, retries: 0 });
    const finish = await tokenwire
      .stream({ model: ['first/a', 'second/b'], messages, tools: [weatherTool(() => 21)] })
      .result();
    expect(first.calls).toBe(1);
    expect(second.calls).toBe(2);
    expect(second.requests[1]?.model).toBe('m');
    expect(finish).toMatchObject({ provider: 'second', content: 'from second' });
  });

  it('ends a failed step with the earlier steps kept in partial', async () => {
    const invalid = new TokenwireError({ code: 'invalid_request', message: 'Bad history', provider: 'mock' });
    const adapter = scriptedAdapter([
      callStep(['c1', 'get_weather', '{"city":"Paris"}']),
      [{ throw: invalid }],
    ]);
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, tools: [weatherTool(() => 21)] }),
    );
    const error = lastOf<ErrorEvent>(events);
    expect(error.error.message).toContain('Bad history');
    expect(error.partial.toolCalls.map((call) => call.id)).toEqual(['c1']);
    expect(error.partial.usage.inputTokens).toBeGreaterThanOrEqual(10);
    expect(ofType(events, 'finish')).toEqual([]);
  });

  it('aborts a slow tool on cancel and finishes cancelled with the results that completed', async () => {
    const adapter = scriptedAdapter([
      callStep(['fast', 'get_weather', '{"city":"Paris"}'], ['slow', 'get_weather', '{"city":"Rome"}']),
      answerStep('never'),
    ]);
    let slowSignal: AbortSignal | undefined;
    const tool = weatherTool(({ city }, { signal }) => {
      if (city === 'Paris') return 'sunny';
      slowSignal = signal;
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve('aborted')));
    });
    const stream = client(adapter).stream({ model: 'mock/m', messages, tools: [tool] });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'tool_result') stream.cancel();
    }
    expect(slowSignal?.aborted).toBe(true);
    const finish = lastOf<FinishEvent>(events);
    expect(finish.reason).toBe('cancelled');
    expect(ofType(events, 'tool_result').map((result) => result.toolCallId)).toEqual(['fast']);
    expect(finish.messages).toEqual([
      expect.objectContaining({ role: 'assistant' }),
      { role: 'tool', toolCallId: 'fast', name: 'get_weather', content: 'sunny' },
    ]);
    expect(adapter.calls).toBe(1);
    expect(adapter.returned).toBe(adapter.calls); // no step's connection left open
  });

  it('aborts the tool on break (return) while it runs', async () => {
    const adapter = scriptedAdapter([callStep(['c1', 'get_weather', '{"city":"Paris"}'])]);
    let started: (signal: AbortSignal) => void = () => {};
    const toolStarted = new Promise<AbortSignal>((resolve) => {
      started = resolve;
    });
    const tool = weatherTool((_input, { signal }) => {
      started(signal);
      return new Promise(() => {}); // never settles: the stream must not wait for it
    });
    const stream = client(adapter).stream({ model: 'mock/m', messages, tools: [tool] });
    const iterator = stream[Symbol.asyncIterator]();
    while ((await iterator.next()).value?.type !== 'step_finish') {}
    const waiting = iterator.next(); // for the tool's result
    const signal = await toolStarted;
    await iterator.return?.(); // what `break` in for await calls
    expect(signal.aborted).toBe(true);
    expect(await waiting).toMatchObject({ value: { type: 'finish', reason: 'cancelled' } });
    expect((await stream.result()).reason).toBe('cancelled');
    expect(adapter.returned).toBe(1);
  });

  it('runs no tool when the stream is cancelled after the call arrived, before its tools start', async () => {
    // The call and the end of the step in one network read (the direct transport): the step has
    // finished when the consumer sees the call.
    let calls = 0;
    const adapter: Adapter = {
      name: 'mock',
      stream: () => {
        throw new Error('open() is used');
      },
      async open() {
        calls++;
        return {
          chunks: (async function* () {
            yield 'the whole step';
          })(),
          translate(_chunk: unknown, out: AdapterDelta[]) {
            for (const step of callStep(['c1', 'get_weather', '{"city":"Paris"}']))
              if ('type' in step) out.push(step);
            return true;
          },
        };
      },
    };
    const controller = new AbortController();
    let ran = 0;
    const tool = weatherTool(() => {
      ran++;
      return 'sunny';
    });
    const stream = client(adapter).stream({
      model: 'mock/m',
      messages,
      tools: [tool],
      signal: controller.signal,
    });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'tool_call_complete') controller.abort();
    }
    expect(ran).toBe(0);
    expect(lastOf<FinishEvent>(events)).toMatchObject({ type: 'finish', reason: 'cancelled' });
    expect(calls).toBe(1);
  });

  it('aborts the tool when the caller signal aborts', async () => {
    const adapter = scriptedAdapter([callStep(['c1', 'get_weather', '{"city":"Paris"}'])]);
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const tool = weatherTool((_input, { signal }) => {
      toolSignal = signal;
      controller.abort();
      return new Promise(() => {});
    });
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, tools: [tool], signal: controller.signal }),
    );
    expect(toolSignal?.aborted).toBe(true);
    expect(lastOf<FinishEvent>(events)).toMatchObject({ type: 'finish', reason: 'cancelled' });
    expect(lastOf<FinishEvent>(events).toolCalls.map((call) => call.id)).toEqual(['c1']);
  });

  it('ends with a total timeout while a tool runs, the tool aborted', async () => {
    const adapter = scriptedAdapter([callStep(['c1', 'get_weather', '{"city":"Paris"}'])]);
    let toolSignal: AbortSignal | undefined;
    const tool = weatherTool((_input, { signal }) => {
      toolSignal = signal;
      return new Promise(() => {});
    });
    const events = await collectEvents(
      client(adapter).stream({ model: 'mock/m', messages, tools: [tool], timeouts: { totalMs: 100 } }),
    );
    const error = lastOf<ErrorEvent>(events);
    expect(error.error).toMatchObject({ code: 'timeout', retryable: false });
    expect(error.error.message).toContain('total timeout of 100 ms');
    expect(error.partial.toolCalls.map((call) => call.id)).toEqual(['c1']);
    expect(error.partial.usage.totalTokens).toBe(15);
    expect(toolSignal?.aborted).toBe(true);
  });
});
