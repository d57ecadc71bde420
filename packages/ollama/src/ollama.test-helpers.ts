import type { StreamEvent, TokenwireError } from '@tokenwire/core';
import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** A recorded stream of `./__fixtures__`. */
export const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

/**
 * A replay server for the tests of one file: started before them, its recorded requests cleared
 * after each, closed after all. Read `.current` inside a test.
 */
export function useReplayServer(): { current: ReplayServer } {
  const holder = {} as { current: ReplayServer };
  beforeAll(async () => {
    holder.current = await createReplayServer();
  });
  afterEach(() => {
    holder.current.requests.length = 0;
  });
  afterAll(() => holder.current.close());
  return holder;
}

/** The error of a stream that must end with its error alone (a request that failed before it began). */
export function onlyError(events: StreamEvent[]): TokenwireError {
  expect(events.map((event) => event.type)).toEqual(['error']);
  const [event] = events;
  if (event?.type !== 'error') throw new Error('expected an error event');
  return event.error;
}
