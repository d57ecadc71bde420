import { parseSSE, type StreamEvent, TokenwireError } from '@tokenwire/core';

/** One answer being read: its stream id (the client's until the server's arrives) and position. */
export interface ChatRun {
  readonly controller: AbortController;
  streamId: string;
  /** The last record read: records at or before it are not applied again. */
  seq: number;
}

/** The `<streamId>:<seq>` of a resumable stream's record. */
export function eventIdParts(id: string | undefined): { streamId: string; seq: number } | undefined {
  if (id === undefined) return undefined;
  const colon = id.lastIndexOf(':');
  const seq = Number(id.slice(colon + 1));
  if (colon <= 0 || !Number.isSafeInteger(seq)) return undefined;
  return { streamId: id.slice(0, colon), seq };
}

/**
 * Reads a tokenwire SSE response into `apply`, each record once: a record at or before `run.seq`
 * (read already, before a reconnection or a resume) is skipped. Reconnects after a cut with
 * `Last-Event-ID` to `url` (any replica), through `fetch`, with the run's signal.
 */
export async function readRun(
  response: Response,
  run: ChatRun,
  options: { url: string; fetch: typeof fetch },
  apply: (event: StreamEvent) => void,
): Promise<void> {
  const { signal } = run.controller;
  const events = parseSSE(response, {
    reconnect: { url: options.url, fetch: (url, init) => options.fetch(url, { ...init, signal }) },
  });
  try {
    for await (const event of events) {
      if (signal.aborted) return;
      const position = eventIdParts(events.lastEventId);
      if (position !== undefined) {
        if (position.streamId === run.streamId && position.seq <= run.seq) continue;
        run.streamId = position.streamId;
        run.seq = position.seq;
      }
      apply(event);
    }
  } finally {
    void events.return(undefined).catch(() => {});
  }
}

/** A `TokenwireError` for what failed outside the stream (a refused request, a cut that lasted). */
export function chatError(error: unknown): TokenwireError {
  if (TokenwireError.isInstance(error)) return error;
  return new TokenwireError({
    code: 'connection',
    message: `The chat request failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

/** Whether `error` is the abort of a stopped run. */
export function isAbort(error: unknown, run: ChatRun): boolean {
  return run.controller.signal.aborted || (error instanceof Error && error.name === 'AbortError');
}
