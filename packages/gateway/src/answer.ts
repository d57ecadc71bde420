import type { StreamEvent, TokenwireStream } from '@tokenwire/core';
import type { AnswerContext, Dialect } from './dialects/dialect.js';
import { type AnswerSource, type GatewayAnswer, jsonAnswer } from './exchange.js';
import { type GatewayProblem, problemOfError, retryAfterHeader } from './gateway-problem.js';

/**
 * The time the gateway itself spends on a request, the waits for tokenwire's stream (the provider)
 * left out: `x-tokenwire-overhead-ms`, measured up to the response headers.
 */
export class OverheadClock {
  private readonly started = performance.now();
  private waited = 0;

  /** The next event of the stream; the time it takes is the provider's, not counted. */
  async next(stream: TokenwireStream): Promise<StreamEvent | undefined> {
    const before = performance.now();
    const result = await stream.next();
    this.waited += performance.now() - before;
    return result.done === true ? undefined : result.value;
  }

  /** `x-tokenwire-overhead-ms`, in milliseconds with microseconds. */
  header(): Record<string, string> {
    return { 'x-tokenwire-overhead-ms': (performance.now() - this.started - this.waited).toFixed(3) };
  }
}

/** What one answer is made of. */
export interface AnswerPlan {
  dialect: Dialect;
  context: AnswerContext;
  stream: TokenwireStream;
  clock: OverheadClock;
}

/** The dialect's error answer for a problem, with `retry-after` when the problem has a wait. */
export function errorAnswer(dialect: Dialect, problem: GatewayProblem): GatewayAnswer {
  const { status, body } = dialect.errorAnswer(problem);
  return jsonAnswer(status, body, retryAfterHeader(problem));
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

function isOutput(event: StreamEvent): boolean {
  return (
    event.type === 'token' ||
    event.type === 'reasoning' ||
    event.type === 'tool_call_chunk' ||
    event.type === 'tool_call_complete'
  );
}

/**
 * A streamed answer. The headers wait for the first output (or the end), so that a failure before
 * any output, a 429 say, reaches the client with its status; after that, errors go in-band.
 */
export async function streamAnswer(plan: AnswerPlan): Promise<GatewayAnswer> {
  const { dialect, stream, clock } = plan;
  const encoder = dialect.streamEncoder(plan.context);
  let pending = '';
  let ended = false;
  for (;;) {
    const event = await clock.next(stream);
    if (event === undefined) {
      ended = true;
      break;
    }
    if (event.type === 'error') return errorAnswer(dialect, problemOfError(event.error));
    pending += encoder.encode(event);
    ended = event.type === 'finish';
    if (ended || isOutput(event)) break;
  }
  const source: AnswerSource = {
    async next() {
      if (pending !== '') {
        const text = pending;
        pending = '';
        return text;
      }
      while (!ended) {
        const result = await stream.next();
        if (result.done === true) break;
        const event = result.value;
        ended = event.type === 'finish' || event.type === 'error';
        const text = encoder.encode(event);
        if (text !== '') return text;
      }
      ended = true;
      return undefined;
    },
    cancel() {
      ended = true;
      stream.cancel();
    },
  };
  return { status: 200, headers: { ...SSE_HEADERS, ...clock.header() }, body: source };
}

/** A whole answer: the dialect's JSON body once the stream has finished. */
export async function jsonBodyAnswer(plan: AnswerPlan): Promise<GatewayAnswer> {
  const { dialect, stream, clock } = plan;
  for (;;) {
    const event = await clock.next(stream);
    if (event === undefined) break;
    if (event.type === 'error') return errorAnswer(dialect, problemOfError(event.error));
    if (event.type === 'finish') {
      return jsonAnswer(200, dialect.answerBody(event, plan.context), clock.header());
    }
  }
  return errorAnswer(dialect, problemOfError(undefined));
}
