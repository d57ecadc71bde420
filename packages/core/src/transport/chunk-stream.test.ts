import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import type { Adapter, AdapterDelta, ChunkStream } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents, typesOf } from '../runtime/scripted-adapter.test-helpers.js';
import { deltasFromChunkStream } from './chunk-stream.js';

type VendorChunk = { text?: string; done?: boolean } | 'stall';

/** An adapter on the fast path: open() hands the runtime vendor chunks and a synchronous translator. */
function chunkAdapter(chunks: VendorChunk[], endDeltas: AdapterDelta[] = []) {
  const state = { closed: 0, opened: 0 };
  const adapter: Adapter = {
    name: 'vendor',
    stream() {
      throw new Error('the runtime must use open() when an adapter has it');
    },
    async open(_request, { signal }): Promise<ChunkStream<VendorChunk>> {
      state.opened++;
      async function* vendorStream() {
        for (const chunk of chunks) {
          if (chunk === 'stall') await new Promise((resolve) => signal.addEventListener('abort', resolve));
          else yield chunk;
        }
      }
      return {
        chunks: vendorStream(),
        translate(chunk, out) {
          if (chunk === 'stall') return;
          if (chunk.text !== undefined) out.push({ type: 'text', delta: chunk.text });
          if (chunk.done) out.push({ type: 'finish', reason: 'stop', rawReason: 'done' });
        },
        end(out) {
          out.push(...endDeltas);
        },
        close() {
          state.closed++;
        },
      };
    },
  };
  return { adapter, state };
}

/** A vendor stream of the given chunks. */
async function* reads(...chunks: string[]) {
  yield* chunks;
}

describe('the ChunkStream fast path', () => {
  it('translates vendor chunks in the runtime loop', async () => {
    const { adapter } = chunkAdapter([{ text: 'Hel' }, { text: 'lo' }, {}, { done: true }]);
    const events = await collectEvents(
      createTokenwire({ providers: { vendor: adapter } }).stream({
        model: 'vendor/m',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(typesOf(events)).toEqual(['start', 'token', 'token', 'finish']);
    expect(events[3]).toMatchObject({ content: 'Hello', rawReason: 'done' });
  });

  it('adds the deltas of end() when the vendor stream ends', async () => {
    const { adapter } = chunkAdapter(
      [{ text: 'x' }],
      [
        { type: 'usage', usage: { outputTokens: 9 } },
        { type: 'finish', reason: 'length' },
      ],
    );
    const finish = await createTokenwire({ providers: { vendor: adapter } })
      .stream({ model: 'vendor/m', messages: [{ role: 'user', content: 'Hi' }] })
      .result();
    expect(finish).toMatchObject({ reason: 'length', usage: { outputTokens: 9 } });
  });

  it('closes the vendor stream on cancel', async () => {
    const { adapter, state } = chunkAdapter([{ text: 'x' }, 'stall']);
    const stream = createTokenwire({ providers: { vendor: adapter } }).stream({
      model: 'vendor/m',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    for await (const event of stream) if (event.type === 'token') stream.cancel();
    expect(state.closed).toBe(1);
    await expect(stream.result()).resolves.toMatchObject({ reason: 'cancelled', content: 'x' });
  });

  it('reports an error thrown by the translator with the partial content', async () => {
    const { adapter } = chunkAdapter([{ text: 'ok' }, { text: undefined, done: undefined }]);
    const failing: Adapter = {
      ...adapter,
      async open(request, context) {
        const source = (await adapter.open?.(request, context)) as ChunkStream<VendorChunk>;
        const translating: ChunkStream<VendorChunk> = {
          ...source,
          translate(chunk, out) {
            if (typeof chunk === 'object' && chunk.text === undefined) throw new Error('unexpected chunk');
            source.translate(chunk, out);
          },
        };
        return translating as ChunkStream;
      },
    };
    const events = await collectEvents(
      createTokenwire({ providers: { vendor: failing }, retries: 0 }).stream({
        model: 'vendor/m',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(typesOf(events)).toEqual(['start', 'token', 'error']);
    expect(events[2]).toMatchObject({ partial: { content: 'ok' } });
  });

  it('delivers the deltas a translator pushed before it threw, then the error (no retry after output)', async () => {
    const adapter: Adapter = {
      name: 'vendor',
      async *stream() {},
      async open(): Promise<ChunkStream<string>> {
        return {
          chunks: reads('one read holding two records'),
          translate(_read, out) {
            out.push({ type: 'text', delta: 'first record' });
            throw new TokenwireError({
              code: 'server',
              message: 'the second record is an error',
              retryable: true,
            });
          },
        };
      },
    };
    const events = await collectEvents(
      createTokenwire({ providers: { vendor: adapter }, retries: 2 }).stream({
        model: 'vendor/m',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(typesOf(events)).toEqual(['start', 'token', 'error']);
    expect(events[2]).toMatchObject({ error: { code: 'server' }, partial: { content: 'first record' } });
  });

  it('delivers the deltas end() pushed before it threw', async () => {
    const adapter: Adapter = {
      name: 'vendor',
      async *stream() {},
      async open(): Promise<ChunkStream<string>> {
        return {
          chunks: reads(),
          translate: () => false,
          end(out) {
            out.push({ type: 'text', delta: 'the last complete line' });
            throw new TokenwireError({ code: 'invalid_response', message: 'cut off' });
          },
        };
      },
    };
    const stream = createTokenwire({ providers: { vendor: adapter }, retries: 0 }).stream({
      model: 'vendor/m',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const events = await collectEvents(stream);
    expect(events.at(-1)).toMatchObject({ type: 'error', partial: { content: 'the last complete line' } });
  });
});

describe('deltasFromChunkStream', () => {
  it('yields the deltas a translator pushed before it threw, then throws', async () => {
    const opened: ChunkStream<string> = {
      chunks: reads('read'),
      translate(_read, out) {
        out.push({ type: 'text', delta: 'kept' });
        throw new Error('then an error');
      },
    };
    const deltas: AdapterDelta[] = [];
    const reading = (async () => {
      for await (const delta of deltasFromChunkStream(() => opened as ChunkStream)) deltas.push(delta);
    })();
    await expect(reading).rejects.toThrow('then an error');
    expect(deltas).toEqual([{ type: 'text', delta: 'kept' }]);
  });

  it('gives the deltas of an open() adapter as a stream() would', async () => {
    const { adapter } = chunkAdapter(
      [{ text: 'a' }, { done: true }],
      [{ type: 'usage', usage: { outputTokens: 1 } }],
    );
    const deltas: AdapterDelta[] = [];
    const open = () =>
      adapter.open?.(
        { model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
        { signal: new AbortController().signal },
      );
    for await (const delta of deltasFromChunkStream(open as () => Promise<ChunkStream>)) deltas.push(delta);
    expect(deltas).toEqual([
      { type: 'text', delta: 'a' },
      { type: 'finish', reason: 'stop', rawReason: 'done' },
      { type: 'usage', usage: { outputTokens: 1 } },
    ]);
  });
});
