import type { Adapter, AdapterDelta, ChatRequest, StreamEvent } from '../model/types.js';

/** One step of a scripted adapter: a delta, a thrown error, a pause, or a stall until aborted. */
export type Step = AdapterDelta | { throw: unknown } | { wait: number } | { stall: true };

/** A test adapter: call N plays script N (the last one repeats) and honours the abort signal. */
export interface ScriptedAdapter extends Adapter {
  calls: number;
  aborted: number;
  returned: number;
  /** The requests it was sent, in order. */
  requests: ChatRequest[];
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = milliseconds === Number.POSITIVE_INFINITY ? undefined : setTimeout(resolve, milliseconds);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function scriptedAdapter(scripts: Step[] | Step[][], name = 'mock'): ScriptedAdapter {
  const list = (Array.isArray(scripts[0]) ? scripts : [scripts]) as Step[][];
  const adapter: ScriptedAdapter = {
    name,
    calls: 0,
    aborted: 0,
    returned: 0,
    requests: [],
    async *stream(request, { signal }) {
      adapter.requests.push(request);
      const script = list[Math.min(adapter.calls, list.length - 1)] ?? [];
      adapter.calls++;
      signal.addEventListener('abort', () => adapter.aborted++);
      try {
        for (const step of script) {
          if (signal.aborted) return;
          if (typeof step !== 'object' || step === null) yield step as AdapterDelta;
          else if ('throw' in step) throw step.throw;
          if ('wait' in step) await sleep(step.wait, signal);
          else if ('stall' in step) await sleep(Number.POSITIVE_INFINITY, signal);
          else yield step;
        }
      } finally {
        adapter.returned++;
      }
    },
  };
  return adapter;
}

/** All events of a stream. */
export async function collectEvents(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The event types in order, for compact assertions. */
export function typesOf(events: StreamEvent[]): string[] {
  return events.map((event) => event.type);
}
