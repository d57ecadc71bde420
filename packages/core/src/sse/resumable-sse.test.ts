import { describe, expect, it } from 'vitest';
import { inMemoryCoordinator } from '../coordinate/in-memory-coordinator.js';
import type { Adapter, FinishEvent, StreamEvent } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents, type Step, scriptedAdapter } from '../runtime/scripted-adapter.test-helpers.js';
import { readSSE } from '../transport/read-records.js';
import { parseSSE, toSSE } from './sse.js';
import { cancelSSE, resumeSSE } from './sse-resume.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const words = ['One', ' two', ' three', ' four', ' five'];
const answer: Step[] = [
  ...words.map((delta) => ({ type: 'text' as const, delta })),
  { type: 'finish', reason: 'stop' },
];

/** An adapter that sends "One", then waits for `open()` before the rest: a reader can leave in between. */
function gatedStream() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let aborted = 0;
  const adapter: Adapter = {
    name: 'mock',
    async *stream(_request, { signal }) {
      signal.addEventListener('abort', () => aborted++);
      yield { type: 'text', delta: 'One' };
      await opened;
      for (const delta of words.slice(1)) yield { type: 'text', delta };
      yield { type: 'finish', reason: 'stop' };
    },
  };
  const stream = createTokenwire({ providers: { mock: adapter }, retries: 0 }).stream({
    model: 'mock/m',
    messages,
  });
  return { stream, open, aborted: () => aborted };
}

function streamOf(script: Step[]) {
  const adapter = scriptedAdapter(script);
  const stream = createTokenwire({ providers: { mock: adapter }, retries: 0 }).stream({
    model: 'mock/m',
    messages,
  });
  return { adapter, stream };
}

/** Reads records of an SSE body until `count` have come, then lets the body go (a cut connection). */
async function readRecords(body: ReadableStream<Uint8Array>, count: number) {
  const records: Array<{ id: string | undefined; event: string | undefined; data: string }> = [];
  const reader = body.getReader();
  const bytes = {
    [Symbol.asyncIterator]: () => ({ next: () => reader.read() }),
  } as AsyncIterable<Uint8Array>;
  for await (const record of readSSE(bytes)) {
    records.push({ id: record.id, event: record.event, data: record.data });
    if (records.length === count) break;
  }
  await reader.cancel();
  return records;
}

async function contentOf(body: ReadableStream<Uint8Array> | undefined): Promise<string[]> {
  const records = await readRecords(body as ReadableStream<Uint8Array>, Number.POSITIVE_INFINITY);
  return records.map((record) => record.data);
}

describe('resumable toSSE', () => {
  it('writes an id on every record and resumes after any of them, each record once, in order', async () => {
    const coordinator = inMemoryCoordinator();
    const { stream } = streamOf(answer);
    const body = toSSE(stream, { coordinator, streamId: 'chat-1' });
    const all = await readRecords(body, Number.POSITIVE_INFINITY);
    expect(all.map((record) => record.id)).toEqual(all.map((_record, index) => `chat-1:${index + 1}`));
    const resumed = await contentOf(await resumeSSE(coordinator, 'chat-1:3'));
    expect(resumed).toEqual(all.slice(3).map((record) => record.data));
  });

  it('tells a new client what a resumed finish covers, and replays it all from <streamId>:0', async () => {
    const coordinator = inMemoryCoordinator();
    const { stream } = streamOf(answer);
    await readRecords(toSSE(stream, { coordinator, streamId: 'chat-9' }), Number.POSITIVE_INFINITY);
    // A page reload with a saved Last-Event-ID: a new parseSSE, no start event.
    const fromSaved = await collectEvents(
      parseSSE((await resumeSSE(coordinator, 'chat-9:3')) as ReadableStream),
    );
    expect(fromSaved.map((event) => event.type)).toEqual(['token', 'token', 'token', 'finish']);
    expect(fromSaved.at(-1)).toMatchObject({ content: ' three four five', resumedAfter: 'chat-9:3' });
    const fromStart = await collectEvents(
      parseSSE((await resumeSSE(coordinator, 'chat-9:0')) as ReadableStream),
    );
    expect(fromStart[0]?.type).toBe('start');
    expect(fromStart.at(-1)).toMatchObject({ content: words.join('') });
    expect('resumedAfter' in (fromStart.at(-1) as FinishEvent)).toBe(false);
  });

  it('keeps the stream running when its reader goes away, for a resume to finish reading', async () => {
    const coordinator = inMemoryCoordinator();
    const { stream, open, aborted } = gatedStream();
    const first = await readRecords(toSSE(stream, { coordinator, streamId: 'chat-2' }), 2); // start, "One"
    open(); // the reader has gone: the rest of the answer still arrives
    const rest = await resumeSSE(coordinator, first[1]?.id);
    const decoded = await collectEvents(
      parseSSE(new Blob([...first.map((record) => sseOf(record)), ...(await contentOfRaw(rest))]).stream()),
    );
    expect((decoded.at(-1) as FinishEvent).content).toBe(words.join(''));
    expect(aborted()).toBe(1); // only the runtime's own release once the stream has finished
  });

  it('cancels from any replica: the upstream is aborted and every reader gets finish cancelled', async () => {
    const coordinator = inMemoryCoordinator();
    const { stream, adapter } = streamOf([{ type: 'text', delta: 'Hel' }, { stall: true }]);
    const original = toSSE(stream, { coordinator, streamId: 'chat-3' });
    const reader = original.getReader();
    await reader.read(); // start
    await reader.read(); // "Hel"
    const resumed = await resumeSSE(coordinator, 'chat-3:1');
    await cancelSSE(coordinator, 'chat-3:2');
    const rest = await contentOf(resumed);
    expect(rest[0]).toBe('Hel');
    expect(JSON.parse(rest.at(-1) as string)).toMatchObject({ reason: 'cancelled' });
    expect(adapter.aborted).toBe(1);
    const final = new TextDecoder().decode((await reader.read()).value);
    expect(final).toContain('"reason":"cancelled"');
  });

  it('answers undefined for an unknown stream, an id not of tokenwire, and a stream past retainMs', async () => {
    const coordinator = inMemoryCoordinator();
    expect(await resumeSSE(coordinator, 'nope:1')).toBeUndefined();
    expect(await resumeSSE(coordinator, 'not an id')).toBeUndefined();
    const { stream } = streamOf(answer);
    await contentOf(toSSE(stream, { coordinator, streamId: 'chat-4', retainMs: 50 }));
    while ((await coordinator.hasStream('chat-4')) === true)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await resumeSSE(coordinator, 'chat-4:1')).toBeUndefined();
  });
});

describe('parseSSE reconnecting', () => {
  it('reconnects with Last-Event-ID after a cut and yields every event once, in order', async () => {
    const coordinator = inMemoryCoordinator();
    const direct = await collectEvents(streamOf(answer).stream);
    const { stream } = streamOf(answer);
    const body = toSSE(stream, { coordinator, streamId: 'chat-5' });
    const asked: string[] = [];
    const events = parseSSE(responseOf(cutAfter(body, 3), 'http://replica-a/chat'), {
      reconnect: {
        delayMs: 1,
        fetch: async (_url, init) => {
          const lastEventId = new Headers(init?.headers).get('last-event-id') ?? '';
          asked.push(lastEventId);
          return responseOf(await resumeSSE(coordinator, lastEventId), 'http://replica-b/chat');
        },
      },
    });
    const received = await collectEvents(events);
    expect(asked).toEqual(['chat-5:3']);
    expect(stripIds(received)).toEqual(stripIds(direct));
    expect(events.lastEventId).toBe(`chat-5:${direct.length}`);
  });

  it('gives up with the cut when the stream has no ids (not resumable)', async () => {
    const { stream } = streamOf(answer);
    const events = parseSSE(responseOf(cutAfter(toSSE(stream), 2), 'http://replica-a/chat'), {
      reconnect: { delayMs: 1, fetch: () => Promise.reject(new Error('not called')) },
    });
    await expect(collectEvents(events)).rejects.toMatchObject({ code: 'connection' });
  });
});

function sseOf(record: { id: string | undefined; event: string | undefined; data: string }): string {
  return `id: ${record.id}\n${record.event === undefined ? '' : `event: ${record.event}\n`}data: ${record.data}\n\n`;
}

async function contentOfRaw(body: ReadableStream<Uint8Array> | undefined): Promise<string[]> {
  const texts: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) texts.push(decoder.decode(chunk));
  return texts;
}

/** The body up to the end of its `records`-th record, then cut (an error, as a dropped connection). */
function cutAfter(body: ReadableStream<Uint8Array>, records: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream({
    async pull(controller) {
      if (seen >= records) {
        await reader.cancel();
        controller.error(new TypeError('terminated'));
        return;
      }
      const { value, done } = await reader.read();
      if (done) return controller.close();
      seen++; // a resumable toSSE enqueues one record per chunk
      controller.enqueue(value);
    },
  });
}

function responseOf(body: ReadableStream<Uint8Array> | undefined, url: string): Response {
  const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

function stripIds(events: StreamEvent[]): unknown[] {
  return events.map((event) => JSON.parse(JSON.stringify(event)));
}
