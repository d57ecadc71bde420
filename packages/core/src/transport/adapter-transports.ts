import type { AdapterContext, AdapterDelta, ChatRequest, ChunkStream } from '../model/types.js';
import type { AdapterParts, Sent } from './adapter-parts.js';
import { EMPTY_CHUNK_STREAM } from './chunk-stream.js';
import { bodyChunkStream } from './direct-body.js';
import { readNDJSON, readSSE } from './read-records.js';
import { guardBody, RecordCount } from './sdk-guard.js';
import { END_OF_STREAM, framingOf, type Wire } from './wire.js';
import type { BodyHead } from './wire-head.js';
import { WireReads } from './wire-reads.js';

/** The transport a request runs on: the settings' `transport`, `'direct'` unless it says `'sdk'`. */
export function transportOf(settings: unknown): 'direct' | 'sdk' {
  return typeof settings === 'object' &&
    settings !== null &&
    (settings as { transport?: unknown }).transport === 'sdk'
    ? 'sdk'
    : 'direct';
}

/**
 * Opens one request from the parts: the state, `send`, then the `ChunkStream` of whichever the
 * SDK handed over — the body, framed by core and turned into chunks by `record`, or the SDK's own
 * chunks. A request cancelled while it was being sent opens nothing.
 */
export async function openFromParts<Settings, Client, Chunk, State, W extends Wire>(
  parts: AdapterParts<Settings, Client, Chunk, State, W>,
  request: ChatRequest,
  context: AdapterContext,
): Promise<ChunkStream<unknown>> {
  const transport = transportOf(parts.settings);
  const client = await parts.client();
  const state = parts.translator.start(request);
  const { provider, wire } = parts;
  const count = transport === 'sdk' && wire === 'ndjson' ? new RecordCount(provider) : undefined;
  const maxRecordBytes = context.maxRecordBytes;
  let sent: Sent<Chunk>;
  try {
    sent = await parts.send(client, request, {
      signal: context.signal,
      transport,
      state,
      maxRecordBytes,
      guard: (body, headers, named) =>
        wire === 'sse' || wire === 'ndjson'
          ? guardBody(body, wire, { maxRecordBytes, head: headOf(parts, headers, named), count })
          : body,
    });
  } catch (error) {
    if (context.signal.aborted) return EMPTY_CHUNK_STREAM;
    throw error;
  }
  if (!('body' in sent)) return sdkStream(parts, sent, state, count);
  if (transport === 'direct' || (wire !== 'sse' && wire !== 'ndjson')) {
    return directStream(parts, sent, state, maxRecordBytes);
  }
  // No SDK of its own (a fetch): on 'sdk' the body is read one record per async step, as an SDK's
  // iterator reads, through the same guard.
  const chunks = recordChunks(parts, sent, wire, maxRecordBytes);
  return sdkStream(
    parts,
    { chunks, release: () => void chunks.return(undefined).catch(() => {}) },
    state,
    count,
  );
}

/** The parts that read a body. */
export type ReadingParts<Chunk, State, W extends Wire> = Pick<
  AdapterParts<unknown, unknown, Chunk, State, W>,
  'provider' | 'wire' | 'record' | 'translator' | 'bodyError' | 'endpoint'
>;

/** The direct transport: the body's network reads, framed and translated in one step per read. */
export function directStream<Chunk, State, W extends Wire>(
  parts: ReadingParts<Chunk, State, W>,
  sent: Extract<Sent<Chunk>, { body: unknown }>,
  state: State,
  maxRecordBytes: number | undefined,
): ChunkStream<Uint8Array> {
  const { record, translator } = parts;
  const { headers } = sent;
  const end = translator.end;
  const reads = new WireReads(framingOf(parts.wire), {
    maxRecordBytes,
    head: headOf(parts, headers, sent.request),
    onRecord: (wireRecord, out) => {
      const chunk = record(wireRecord, headers);
      if (chunk === undefined) return false;
      if (chunk === END_OF_STREAM) return true;
      return translator.translate(chunk, state, out);
    },
    ...(end === undefined ? {} : { onEnd: (out: AdapterDelta[]) => end(state, out) }),
  });
  return bodyChunkStream(sent.body, reads, sent.release);
}

/** The `sdk` transport: the SDK's chunks, translated; an NDJSON client's skipped lines are caught. */
function sdkStream<Settings, Client, Chunk, State, W extends Wire>(
  parts: AdapterParts<Settings, Client, Chunk, State, W>,
  sent: Extract<Sent<Chunk>, { chunks: unknown }>,
  state: State,
  count: RecordCount | undefined,
): ChunkStream<Chunk> {
  const { translator } = parts;
  const end = translator.end;
  const release = sent.release;
  let released = false;
  return {
    chunks: sent.chunks,
    translate:
      count === undefined
        ? (chunk, out) => translator.translate(chunk, state, out)
        : (chunk, out) => {
            count.received++;
            const done = translator.translate(chunk, state, out);
            const skipped = done ? count.check() : undefined;
            if (skipped !== undefined) throw skipped;
            return done;
          },
    ...(end === undefined ? {} : { end: (out: AdapterDelta[]) => end(state, out) }),
    close: () => {
      if (released) return;
      released = true;
      release?.();
    },
  };
}

/** A body's records as chunks, one per async step: the `sdk` transport of an adapter without an SDK. */
async function* recordChunks<Chunk, State, W extends Wire>(
  parts: ReadingParts<Chunk, State, W>,
  sent: Extract<Sent<Chunk>, { body: unknown }>,
  wire: 'sse' | 'ndjson',
  maxRecordBytes: number | undefined,
): AsyncGenerator<Chunk, void, undefined> {
  const { headers } = sent;
  const guarded = guardBody(sent.body, wire, { maxRecordBytes, head: headOf(parts, headers, sent.request) });
  const record = parts.record as (
    record: unknown,
    headers: Headers,
  ) => Chunk | undefined | typeof END_OF_STREAM;
  try {
    for await (const wireRecord of wire === 'sse' ? readSSE(guarded) : readNDJSON(guarded)) {
      const chunk = record(wireRecord, headers);
      if (chunk === END_OF_STREAM) return;
      if (chunk !== undefined) yield chunk;
    }
  } finally {
    sent.release?.();
  }
}

function headOf<Chunk, State, W extends Wire>(
  parts: ReadingParts<Chunk, State, W>,
  headers: Headers,
  request: string | undefined,
): BodyHead {
  const { provider, bodyError } = parts;
  return {
    provider,
    contentType: headers.get('content-type'),
    request: request ?? 'the request',
    endpoint: parts.endpoint?.(),
    ...(bodyError === undefined ? {} : { bodyError }),
  };
}
