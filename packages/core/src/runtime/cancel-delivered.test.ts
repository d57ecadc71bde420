import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../model/events.js';
import type { Adapter, AdapterDelta, ChunkStream } from '../model/types.js';
import { createTokenwire } from './create-tokenwire.js';

/** An adapter whose one network read holds every delta, as a direct transport translates it. */
function oneReadAdapter(deltas: AdapterDelta[]): Adapter {
  return {
    name: 'vendor',
    async *stream() {},
    async open(_request, { signal }): Promise<ChunkStream<string>> {
      async function* reads() {
        yield 'the whole answer in one read';
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      }
      return { chunks: reads(), translate: (_read, out) => void out.push(...deltas) };
    },
  };
}

const open = (deltas: AdapterDelta[]) =>
  createTokenwire({ providers: { vendor: oneReadAdapter(deltas) } }).stream({
    model: 'vendor/m',
    messages: [{ role: 'user', content: 'Hi' }],
  });

const TEXT: AdapterDelta[] = [
  { type: 'text', delta: 'one ' },
  { type: 'text', delta: 'two ' },
  { type: 'text', delta: 'three' },
];

describe('cancel with events of the same read still queued', () => {
  it('ends with what the consumer read: the queued events are dropped, the finish holds the content read', async () => {
    const stream = open(TEXT);
    const seen: StreamEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (event.type === 'token') stream.cancel();
    }
    expect(seen.map((event) => event.type)).toEqual(['start', 'token', 'finish']);
    expect(seen[2]).toMatchObject({ reason: 'cancelled', content: 'one ' });
    expect((await stream.result()).messages[0]).toMatchObject({ role: 'assistant', content: 'one ' });
  });

  it('gives result() the content read before a break', async () => {
    const stream = open(TEXT);
    for await (const event of stream) if (event.type === 'token') break;
    expect(await stream.result()).toMatchObject({ reason: 'cancelled', content: 'one ' });
  });

  it('rolls reasoning back and leaves out tool calls whose completion was not read', async () => {
    const stream = open([
      { type: 'reasoning', delta: 'think ' },
      { type: 'reasoning', delta: 'more' },
      { type: 'tool_call', index: 0, id: 'call_1', name: 'lookup', argumentsDelta: '{}' },
      { type: 'tool_call_end', index: 0 },
    ]);
    for await (const event of stream) if (event.type === 'reasoning') stream.cancel();
    const finish = await stream.result();
    expect([finish.reasoning, finish.toolCalls]).toEqual(['think ', []]);
    expect(finish.reasoningParts).toEqual([{ text: 'think ' }]);
  });

  it('keeps everything read when nothing was queued', async () => {
    const stream = open(TEXT);
    const tokens: string[] = [];
    for await (const event of stream) {
      if (event.type === 'token') tokens.push(event.content);
      if (tokens.length === 3) stream.cancel();
    }
    expect(await stream.result()).toMatchObject({ reason: 'cancelled', content: 'one two three' });
  });
});
