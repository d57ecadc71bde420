import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { ErrorEvent, FinishEvent, Message } from '../model/types.js';
import { createTokenwire, type TokenwireConfig } from '../runtime/create-tokenwire.js';
import {
  collectEvents,
  type ScriptedAdapter,
  type Step,
  scriptedAdapter,
} from '../runtime/scripted-adapter.test-helpers.js';
import type { TokenwireHooks } from './hook-types.js';

const messages: Message[] = [{ role: 'user', content: 'Hi' }];
const usage = (input: number, output: number, extra = {}): Step => ({
  type: 'usage',
  usage: { inputTokens: input, outputTokens: output, totalTokens: input + output, ...extra },
});
const answer = (text: string): Step[] => [
  { type: 'start', model: 'm-2026', responseId: 'resp_1' },
  { type: 'text', delta: text },
  usage(1_000_000, 500_000),
  { type: 'finish', reason: 'stop' },
];
const overloaded = new TokenwireError({ code: 'overloaded', message: 'Overloaded', provider: 'mock' });

/** Hooks that record every call as `name` plus a few fields. */
function recorder() {
  const calls: Array<[string, Record<string, unknown>]> = [];
  const hooks: TokenwireHooks = {
    onRequest: (event) =>
      calls.push(['onRequest', { attempt: event.attempt, step: event.step, model: event.model }]),
    onFirstContent: (event) => calls.push(['onFirstContent', { attempt: event.attempt }]),
    onRetry: (event) => calls.push(['onRetry', { attempt: event.attempt, code: event.error.code }]),
    onFallback: (event) => calls.push(['onFallback', { next: event.next }]),
    onStep: (event) => calls.push(['onStep', { step: event.event.step }]),
    onToolResult: (event) => calls.push(['onToolResult', { name: event.event.name }]),
    onFinish: (event) => calls.push(['onFinish', { reason: event.event.reason, attempts: event.attempts }]),
    onError: (event) => calls.push(['onError', { code: event.error.code, attempts: event.attempts }]),
    onWarning: (event) => calls.push(['onWarning', { code: event.code }]),
  };
  return { calls, hooks, names: () => calls.map(([name]) => name) };
}

function client(adapter: ScriptedAdapter, config: TokenwireConfig = {}) {
  return createTokenwire({
    providers: { mock: adapter },
    retries: { maxRetries: 1, initialDelayMs: 1 },
    ...config,
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('hooks', () => {
  it('are called at the moments of a stream, once each, with the same stream id', async () => {
    const { calls, hooks } = recorder();
    const ids = new Set<string>();
    const timing: TokenwireHooks = {
      onRequest: (event) => ids.add(event.streamId),
      onFinish: (event) => {
        ids.add(event.streamId);
        expect(event.durationMs).toBeGreaterThanOrEqual(event.timeToFirstContentMs ?? 0);
        expect(event.request.model).toBe('m');
      },
    };
    await client(scriptedAdapter(answer('Hello')), { hooks: [hooks, timing] })
      .stream({ model: 'mock/m', messages })
      .result();
    expect(calls).toEqual([
      ['onRequest', { attempt: 1, step: 1, model: 'm' }],
      ['onFirstContent', { attempt: 1 }],
      ['onFinish', { reason: 'stop', attempts: 1 }],
    ]);
    expect(ids.size).toBe(1);
  });

  it('report a retry, a fallback and a final error', async () => {
    const { calls, hooks } = recorder();
    const first = scriptedAdapter([[{ throw: overloaded }]], 'first');
    const second = scriptedAdapter(
      [[{ throw: new TokenwireError({ code: 'authentication', message: 'No' }) }]],
      'second',
    );
    const tokenwire = createTokenwire({
      providers: { first, second },
      retries: { maxRetries: 1, initialDelayMs: 1 },
      hooks: [hooks],
    });
    await collectEvents(tokenwire.stream({ model: ['first/a', 'second/b'], messages }));
    expect(calls).toEqual([
      ['onRequest', { attempt: 1, step: 1, model: 'a' }],
      ['onRetry', { attempt: 1, code: 'overloaded' }],
      ['onRequest', { attempt: 2, step: 1, model: 'a' }],
      ['onFallback', { next: { provider: 'second', model: 'b' } }],
      ['onRequest', { attempt: 3, step: 1, model: 'b' }],
      ['onError', { code: 'authentication', attempts: 3 }],
    ]);
  });

  it('report the steps and tool results of a tool loop, and its end once', async () => {
    const { names, hooks } = recorder();
    const call: Step[] = [
      { type: 'tool_call', index: 0, id: 'c1', name: 'lookup', argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls' },
    ];
    const tool = { name: 'lookup', execute: () => 'found' };
    await client(scriptedAdapter([call, answer('Done')]), { hooks: [hooks] })
      .stream({ model: 'mock/m', messages, tools: [tool] })
      .result();
    expect(names()).toEqual([
      'onRequest',
      'onFirstContent',
      'onStep',
      'onToolResult',
      'onRequest',
      'onStep',
      'onFinish',
    ]);
  });

  it('never break a stream when they throw or reject, and are reported once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { calls, hooks } = recorder();
    const broken: TokenwireHooks = {
      onRequest: () => {
        throw new Error('hook bug');
      },
      onFinish: async () => {
        throw new Error('async hook bug');
      },
    };
    const tokenwire = client(scriptedAdapter(answer('Hello')), { hooks: [broken, hooks] });
    for (let run = 0; run < 2; run++) {
      const finish = await tokenwire.stream({ model: 'mock/m', messages }).result();
      expect(finish.content).toBe('Hello');
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // the rejection is reported a tick later
    expect(calls.filter(([name]) => name === 'onWarning')).toHaveLength(2); // onRequest and onFinish, once each
    expect(warn).not.toHaveBeenCalled(); // an onWarning hook is installed: it decides
  });

  it('report a failing hook to console.warn when no onWarning hook is installed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken: TokenwireHooks = {
      onRequest: () => {
        throw new Error('hook bug');
      },
    };
    const tokenwire = client(scriptedAdapter(answer('Hello')), { hooks: [broken] });
    for (let run = 0; run < 2; run++) await tokenwire.stream({ model: 'mock/m', messages }).result();
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      '[tokenwire] The onRequest hook threw; the stream goes on: hook bug',
    ]);
  });

  it('per request are called after the client’s', async () => {
    const order: string[] = [];
    await client(scriptedAdapter(answer('Hi')), { hooks: [{ onFinish: () => order.push('client') }] })
      .stream({ model: 'mock/m', messages, hooks: [{ onFinish: () => order.push('request') }] })
      .result();
    expect(order).toEqual(['client', 'request']);
  });

  it('refuse a misspelt hook before sending anything', async () => {
    const adapter = scriptedAdapter(answer('Hi'));
    const events = await collectEvents(
      client(adapter, { hooks: [{ onFinsh: () => {} } as never] }).stream({ model: 'mock/m', messages }),
    );
    const error = (events[0] as ErrorEvent).error;
    expect(error.code).toBe('configuration');
    expect(error.message).toContain('hooks[0].onFinsh is not a hook (did you mean onFinish?)');
    expect(adapter.calls).toBe(0);
  });
});

describe('cost', () => {
  const prices = { 'mock/m': { input: 2, output: 8, cachedInput: 0.5 }, other: { input: 1, output: 1 } };

  it('is on the finish event and the hooks, from the configured prices', async () => {
    const script: Step[] = [
      { type: 'text', delta: 'Hi' },
      usage(1_000_000, 500_000, { cachedInputTokens: 400_000, reasoningTokens: 100_000 }),
      { type: 'finish', reason: 'stop' },
    ];
    let hookCost: unknown;
    const finish = await client(scriptedAdapter(script), {
      prices,
      hooks: [{ onFinish: (event) => (hookCost = event.cost) }],
    })
      .stream({ model: 'mock/m', messages })
      .result();
    // 600k uncached × $2 + 400k cached × $0.5 + 400k output × $8 + 100k reasoning × $8, per million
    expect(finish.cost).toEqual({
      input: 1.2,
      cachedInput: 0.2,
      cacheWrite: 0,
      output: 3.2,
      reasoning: 0.8,
      total: 5.4,
      currency: 'USD',
    });
    expect(hookCost).toEqual(finish.cost);
  });

  it('sums the steps of a tool loop, and is kept on an error’s partial', async () => {
    const call: Step[] = [
      { type: 'tool_call', index: 0, id: 'c1', name: 'lookup', argumentsDelta: '{}' },
      usage(1_000_000, 0),
      { type: 'finish', reason: 'tool_calls' },
    ];
    const invalid = new TokenwireError({ code: 'invalid_request', message: 'Bad', provider: 'mock' });
    const tool = { name: 'lookup', execute: () => 'found' };
    const loop = await client(scriptedAdapter([call, answer('Done')]), { prices })
      .stream({ model: 'mock/m', messages, tools: [tool] })
      .result();
    expect(loop.cost?.total).toBeCloseTo(2 + 2 + 4, 10); // step 1: $2 input; step 2: $2 input + $4 output
    const events = await collectEvents(
      client(scriptedAdapter([call, [{ type: 'text', delta: 'x' }, { throw: invalid }]]), { prices }).stream({
        model: 'mock/m',
        messages,
        tools: [tool],
      }),
    );
    expect((events.at(-1) as ErrorEvent).partial.cost?.input).toBeGreaterThanOrEqual(2);
  });

  it('is absent, never $0, for a model without a price, with one warning per model', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const warnings: string[] = [];
    const tokenwire = client(scriptedAdapter(answer('Hi')), {
      prices,
      hooks: [{ onWarning: (event) => warnings.push(event.code) }],
    });
    const finishes: FinishEvent[] = [];
    for (let run = 0; run < 2; run++)
      finishes.push(await tokenwire.stream({ model: 'mock/unpriced', messages }).result());
    expect(finishes.map((finish) => finish.cost)).toEqual([undefined, undefined]);
    expect(warnings).toEqual(['unknown_price']);
    expect(warn).not.toHaveBeenCalled(); // the hook has it: not printed twice
    const unhooked = client(scriptedAdapter(answer('Hi')), { prices });
    await unhooked.stream({ model: 'mock/unpriced', messages }).result();
    expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringContaining('[tokenwire] No price is known for mock/unpriced'),
    ]);
  });

  it('refuses a price table with a price that is not a number', async () => {
    const events = await collectEvents(
      client(scriptedAdapter(answer('Hi')), {
        prices: { 'mock/m': { input: 'two', output: 8 } as never },
      }).stream({
        model: 'mock/m',
        messages,
      }),
    );
    expect((events[0] as ErrorEvent).error).toMatchObject({ code: 'configuration' });
    expect((events[0] as ErrorEvent).error.message).toContain("prices['mock/m'].input");
  });
});
