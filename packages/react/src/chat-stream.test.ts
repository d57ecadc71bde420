import type { StreamEvent } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { type ChatRun, eventIdParts, readRun } from './chat-stream.js';

/** A resumable stream's body as `toSSE` writes it: `id: s1:<seq>` on each record. */
function body(records: string[]): Response {
  return new Response(records.map((record, index) => `id: s1:${index + 1}\n${record}\n\n`).join(''), {
    headers: { 'content-type': 'text/event-stream' },
  });
}

const RECORDS = [
  'event: start\ndata: {"provider":"p","model":"m"}',
  'data: one ',
  'data: two ',
  'data: three',
  'event: finish\ndata: {"reason":"stop","usage":{"inputTokens":1,"outputTokens":3,"totalTokens":4,"estimated":false},"provider":"p","model":"m"}',
];

async function applied(run: ChatRun): Promise<string[]> {
  const seen: string[] = [];
  const apply = (event: StreamEvent) => seen.push(event.type === 'token' ? event.content : event.type);
  await readRun(body(RECORDS), run, { url: 'http://chat.test/api', fetch }, apply);
  return seen;
}

describe('readRun', () => {
  it('applies every record of a stream, and keeps its id and position', async () => {
    const run: ChatRun = { controller: new AbortController(), streamId: 'client-id', seq: 0 };
    expect(await applied(run)).toEqual(['start', 'one ', 'two ', 'three', 'finish']);
    expect(run).toMatchObject({ streamId: 's1', seq: 5 });
  });

  it('skips the records it applied already: a body that starts over gives each token once', async () => {
    const run: ChatRun = { controller: new AbortController(), streamId: 's1', seq: 3 };
    expect(await applied(run)).toEqual(['three', 'finish']);
  });

  it('reads the parts of an event id', () => {
    expect(eventIdParts('chat.call_1:12')).toEqual({ streamId: 'chat.call_1', seq: 12 });
    expect(eventIdParts('no-seq')).toBeUndefined();
  });
});
