import { open, readFile } from 'node:fs/promises';
import type { StreamEvent } from '@tokenwire/core';

/** Options of `readFixture`. */
export interface ReadFixtureOptions {
  /**
   * Skip lines that are not valid JSON instead of throwing. Default false. (Upstream's
   * `parallel-tool-call-wrapper.1.chunks.txt` has two truncated lines.)
   */
  skipInvalidLines?: boolean;
}

/**
 * Reads a recorded stream in the fixture format: one JSON payload (the `data:` of one SSE event,
 * or one NDJSON line) per line; blank lines are skipped. Throws with the file and line number on
 * a line that is not JSON, unless `skipInvalidLines` is set.
 */
export async function readFixture(path: string | URL, options: ReadFixtureOptions = {}): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  const payloads: unknown[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.trim() === '') continue;
    try {
      payloads.push(JSON.parse(line));
    } catch (error) {
      if (options.skipInvalidLines) continue;
      throw new Error(
        `readFixture: line ${index + 1} of ${String(path)} is not JSON (${(error as Error).message}). ` +
          'A fixture holds one JSON payload per line; pass { skipInvalidLines: true } to skip such lines.',
        { cause: error },
      );
    }
  }
  return payloads;
}

/**
 * Writes every chunk of a live vendor SDK stream to `path` in the fixture format (one
 * `JSON.stringify(chunk)` per line), as it arrives, so a failed stream keeps what arrived. Use it
 * once with a real API key, then replay the file with `createReplayServer` forever. Chunks that
 * are class instances (the `@google/genai` responses) are written with their own enumerable fields;
 * pass `transform` to drop SDK-added fields (e.g. `sdkHttpResponse`).
 */
export async function recordFixture(
  stream: AsyncIterable<unknown>,
  path: string | URL,
  options: { transform?: (chunk: unknown) => unknown } = {},
): Promise<void> {
  const file = await open(path, 'w');
  try {
    for await (const chunk of stream) {
      const payload = options.transform === undefined ? chunk : options.transform(chunk);
      await file.write(`${JSON.stringify(payload)}\n`);
    }
  } finally {
    await file.close();
  }
}

/** Reads a tokenwire stream (or any async iterable of events) to its end and returns every event. */
export async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}
