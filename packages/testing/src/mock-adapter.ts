import type { Adapter, ChatRequest } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';

/** One step of a mock script: a delta to yield, a value to throw, a pause, or a stall until aborted. */
export type MockStep = AdapterDelta | { throw: unknown } | { delayMs: number } | { stall: true };

/** What a mock adapter does for one call, step by step. */
export type MockScript = MockStep[];

/** An `Adapter` that plays scripted deltas and records how it was called. */
export interface MockAdapter extends Adapter {
  /** Every call of `stream()`, in order, with the request and the signal it got. */
  calls: Array<{ request: ChatRequest; signal: AbortSignal }>;
  /** How many calls had their signal aborted while they were still running. */
  aborted: number;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The operation was aborted.', 'AbortError');
}

/** Waits `milliseconds` (forever when undefined); rejects as soon as the signal aborts. */
function wait(milliseconds: number | undefined, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer =
      milliseconds === undefined
        ? undefined
        : setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, milliseconds);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function isScriptList(script: MockScript | MockScript[]): script is MockScript[] {
  return script.length > 0 && script.every((entry) => Array.isArray(entry));
}

/**
 * An `Adapter` that yields scripted `AdapterDelta`s, for unit tests of code built on tokenwire.
 * With a list of scripts, call N plays script N (the last one repeats). Steps: a delta is yielded;
 * `{ throw: value }` throws `value`; `{ delayMs }` pauses; `{ stall: true }` waits until the call's
 * signal aborts. An aborted signal ends a pending pause or stall with an `AbortError`. The name
 * defaults to `'mock'`.
 *
 * @example
 * const adapter = mockAdapter([{ type: 'text', delta: 'Hi' }, { type: 'finish', reason: 'stop' }]);
 * const tokenwire = createTokenwire({ providers: { mock: adapter } });
 */
export function mockAdapter(script: MockScript | MockScript[], options: { name?: string } = {}): MockAdapter {
  const scripts = isScriptList(script) ? script : [script as MockScript];
  const adapter: MockAdapter = {
    name: options.name ?? 'mock',
    calls: [],
    aborted: 0,
    stream(request, context) {
      const signal = context.signal;
      const callIndex = adapter.calls.length;
      adapter.calls.push({ request, signal });
      const steps = scripts[Math.min(callIndex, scripts.length - 1)] ?? [];
      return play(steps, signal, () => adapter.aborted++);
    },
  };
  return adapter;
}

async function* play(
  steps: MockScript,
  signal: AbortSignal,
  onAborted: () => void,
): AsyncGenerator<AdapterDelta> {
  let running = true;
  const onAbort = () => {
    if (running) onAborted();
  };
  if (signal.aborted) onAborted();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (const step of steps) {
      if (signal.aborted) throw abortError(signal);
      if ('throw' in step) throw step.throw;
      if ('delayMs' in step) await wait(step.delayMs, signal);
      else if ('stall' in step) await wait(undefined, signal);
      else yield step;
    }
  } finally {
    running = false;
    signal.removeEventListener('abort', onAbort);
  }
}
