import type { FinishEvent, StreamEvent } from '../model/types.js';

/**
 * The stream `tokenwire.stream()` returns: an async iterable of normalized events, plus `cancel()`
 * and `result()`. The request starts on the first `next()` (or `result()`). Events are produced
 * only as fast as they are consumed. A stream is consumed once: iterating it a second time throws.
 */
export interface TokenwireStream<Output = unknown> extends AsyncIterableIterator<StreamEvent<Output>> {
  /** The stream is its own iterator, once: a second `for await` throws a TokenwireError. */
  [Symbol.asyncIterator](): TokenwireStream<Output>;
  /** The next event; the first call sends the request. */
  next(): Promise<IteratorResult<StreamEvent<Output>>>;
  /** Stops iterating early (a `break` in `for await`): cancels the stream. */
  return(): Promise<IteratorResult<StreamEvent<Output>>>;
  /**
   * Cancels the stream: the connection is closed and the stream ends with a `finish` event of
   * reason `cancelled` whose content, reasoning and tool calls are what the consumer had read
   * (events queued and not yet read are dropped). Does nothing once the stream has ended.
   */
  cancel(): void;
  /**
   * The finish event, once the stream has ended; rejects with the TokenwireError of an error
   * event. Can be called any number of times. If nobody iterates the stream, calling it consumes it.
   */
  result(): Promise<FinishEvent<Output>>;
}
