import { TokenwireError } from '../model/errors.js';
import type { ErrorEvent, FinishEvent } from '../model/types.js';

/** What a second `for await` over a stream throws. */
export function alreadyIteratedError(): TokenwireError {
  return new TokenwireError({
    code: 'invalid_request',
    message:
      'This stream was already iterated: a TokenwireStream is consumed once. Call result() for its finish ' +
      'event, or tokenwire.stream() again for a new request.',
  });
}

/**
 * The promise `result()` returns, the same on every call: the finish event, or a rejection with
 * the error event's TokenwireError (never unhandled, if nobody awaits it).
 */
export class ResultPromise {
  private promise: Promise<FinishEvent> | undefined;
  private settle: { resolve(event: FinishEvent): void; reject(error: TokenwireError): void } | undefined;

  /**
   * The promise, made on the first call: settled already when the stream has ended, else when
   * `ended` is called. `drain` consumes the stream if nobody iterates it right after this call.
   */
  get(terminal: FinishEvent | ErrorEvent | undefined, drain: () => void): Promise<FinishEvent> {
    if (this.promise !== undefined) return this.promise;
    if (terminal !== undefined) {
      this.promise = terminal.type === 'finish' ? Promise.resolve(terminal) : Promise.reject(terminal.error);
    } else {
      this.promise = new Promise<FinishEvent>((resolve, reject) => {
        this.settle = { resolve, reject };
        // Give a caller that iterates right after calling result() the chance to do so first.
        setTimeout(drain, 0);
      });
    }
    this.promise.catch(() => {});
    return this.promise;
  }

  /** The stream ended: settles the promise, if one was made. */
  ended(terminal: FinishEvent | ErrorEvent): void {
    const settle = this.settle;
    this.settle = undefined;
    if (terminal.type === 'finish') settle?.resolve(terminal);
    else settle?.reject(terminal.error);
  }
}
