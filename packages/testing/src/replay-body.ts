/** How the replay server turns a script into bytes on the wire, with its faults. */
import type { ServerResponse } from 'node:http';
import { type ByteSplit, cutOffsets } from './byte-splits.js';
import type { ReplayScript } from './replay-server.js';
import type { Wire } from './wire-format.js';

/** Where a script stops writing records, and how. */
export type Stop = { kind: 'error' | 'destroy' | 'stall' | 'end' | 'heartbeat' | 'complete'; after: number };

/** The fault that ends the script's stream first, after how many records. */
export function stopOf(script: ReplayScript, count: number): Stop {
  const candidates: Array<[number | undefined, Stop['kind']]> = [
    [script.inBandError?.after, 'error'],
    [script.destroyAfter, 'destroy'],
    [script.stallAfter, 'stall'],
    [script.endAfter, 'end'],
    [script.heartbeat?.after, 'heartbeat'],
  ];
  // The earliest fault wins (ties in the order above); one after more records than there are
  // applies after the last record.
  let stop: Stop | undefined;
  for (const [after, kind] of candidates) {
    if (after !== undefined && (stop === undefined || after < stop.after)) stop = { kind, after };
  }
  if (stop === undefined) return { kind: 'complete', after: count };
  return { kind: stop.kind, after: Math.max(0, Math.min(stop.after, count)) };
}

const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** The body of a stream answer as pieces; `pause` is the wait before writing a piece. */
export function bodyPieces(wire: Wire, script: ReplayScript, payloads: unknown[], stop: Stop): Piece[] {
  const keepAlive = script.keepAlive ? wire.keepAliveRecord : undefined;
  const delay = script.delayMs ?? 0;
  const pieces: Piece[] = [];
  if (keepAlive !== undefined) pieces.push({ bytes: Buffer.from(keepAlive), pause: 0 });
  for (let index = 0; index < stop.after; index++) {
    if (index > 0 && keepAlive !== undefined) pieces.push({ bytes: Buffer.from(keepAlive), pause: 0 });
    pieces.push({ bytes: bytesOf(wire.encodeRecord(payloads[index])), pause: index > 0 ? delay : 0 });
  }
  if (stop.kind === 'error') {
    const error = wire.encodeInBandError(script.inBandError ?? {}, stop.after);
    pieces.push({ bytes: bytesOf(error), pause: stop.after > 0 ? delay : 0 });
  }
  const terminal = wire.terminalRecord;
  if (stop.kind === 'complete' && terminal !== undefined) {
    pieces.push({ bytes: Buffer.from(terminal), pause: stop.after > 0 ? delay : 0, terminal: true });
  }
  return pieces;
}

/** A record as bytes: a text record in UTF-8, a binary one (an AWS event-stream frame) as it is. */
function bytesOf(record: string | Uint8Array): Buffer {
  return typeof record === 'string'
    ? Buffer.from(record)
    : Buffer.from(record.buffer, record.byteOffset, record.byteLength);
}

/** Bytes to write, after a pause. */
export interface Piece {
  bytes: Buffer;
  pause: number;
  /** The protocol's terminal record (`data: [DONE]`): the answer is complete before it. */
  terminal?: boolean;
}

/**
 * Writes the pieces, cut at the split offsets; false when the connection closed first.
 * `onComplete` is called once the last payload record is handed to the socket (before the
 * protocol's terminal record, and before the bytes are flushed): a client that closes once it has
 * read the last record closes a complete answer, not an early one.
 */
export async function writePieces(
  response: ServerResponse,
  pieces: Piece[],
  split: ByteSplit | undefined,
  closed: Promise<void>,
  onComplete: () => void = () => {},
): Promise<boolean> {
  let isClosed = false;
  void closed.then(() => {
    isClosed = true;
  });
  const body = Buffer.concat(pieces.map((piece) => piece.bytes));
  let completeAt = body.length;
  for (let index = pieces.length - 1; index >= 0 && pieces[index]?.terminal === true; index--) {
    completeAt -= (pieces[index] as Piece).bytes.length;
  }
  let completed = false;
  const reached = (bytes: number) => {
    if (!completed && bytes >= completeAt) {
      completed = true;
      onComplete();
    }
  };
  const cuts = cutOffsets(body, split);
  if (cuts.length === 0 && pieces.every((piece) => piece.pause === 0)) {
    return writeInSlices(response, body, closed, () => isClosed, reached);
  }
  let cutIndex = 0;
  let offset = 0;
  reached(0);
  for (const piece of pieces) {
    if (piece.pause > 0) await Promise.race([sleep(piece.pause), closed]);
    let start = 0;
    while (start < piece.bytes.length) {
      if (isClosed || response.destroyed) return false;
      while (cutIndex < cuts.length && (cuts[cutIndex] as number) <= offset + start) cutIndex++;
      const cut = cuts[cutIndex];
      const end = cut !== undefined && cut < offset + piece.bytes.length ? cut - offset : piece.bytes.length;
      // Waiting for each write to reach the socket also means a destroy right after loses nothing.
      const written = new Promise<void>((resolve) =>
        response.write(piece.bytes.subarray(start, end), () => resolve()),
      );
      reached(offset + end);
      await Promise.race([written, closed]);
      // Let the client read this piece on its own, so the cut really reaches its parser.
      if (cuts.length > 0) await yieldToClient();
      start = end;
    }
    offset += piece.bytes.length;
  }
  return !(isClosed || response.destroyed);
}

/** Bytes per write when nothing asks for small pieces: a few records would cost a write each. */
const SLICE_BYTES = 64 * 1024;

/**
 * Writes a body that has no cuts and no pauses in large slices, waiting only when the socket's
 * buffer is full, and for the last write to reach the socket (so a destroy right after loses
 * nothing); false when the connection closed first.
 */
async function writeInSlices(
  response: ServerResponse,
  body: Buffer,
  closed: Promise<void>,
  isClosed: () => boolean,
  reached: (bytes: number) => void,
): Promise<boolean> {
  reached(0);
  for (let start = 0; start < body.length; start += SLICE_BYTES) {
    if (isClosed() || response.destroyed) return false;
    const slice = body.subarray(start, start + SLICE_BYTES);
    if (start + SLICE_BYTES >= body.length) {
      const flushed = new Promise<void>((resolve) => response.write(slice, () => resolve()));
      reached(body.length);
      await Promise.race([flushed, closed]);
    } else {
      const flowing = response.write(slice);
      reached(start + slice.length);
      if (!flowing)
        await Promise.race([new Promise<void>((resolve) => response.once('drain', resolve)), closed]);
    }
  }
  return !(isClosed() || response.destroyed);
}

function yieldToClient(): Promise<void> {
  // setImmediate is not enough: the client would often read two pieces at once.
  return new Promise((resolve) => setTimeout(resolve, 0));
}
