import type { AdapterDelta, ChunkStream } from './types.js';

/**
 * The `stream()` of an adapter that implements the `open()` fast path: the same deltas, as an
 * async iterable, for callers that use the adapter without the tokenwire runtime. Takes a function
 * so that nothing is requested (and no rejection can go unhandled) until the deltas are iterated:
 * `stream: (request, context) => deltasFromChunkStream(() => adapter.open(request, context))`.
 */
export async function* deltasFromChunkStream(
  open: () => ChunkStream | Promise<ChunkStream>,
): AsyncGenerator<AdapterDelta> {
  const opened = await open();
  const deltas: AdapterDelta[] = [];
  let finished = false;
  try {
    for await (const chunk of opened.chunks) {
      deltas.length = 0;
      opened.translate(chunk, deltas);
      yield* deltas;
    }
    deltas.length = 0;
    opened.end?.(deltas);
    yield* deltas;
    finished = true;
  } finally {
    if (!finished) opened.close?.();
  }
}
