import type { AdapterDelta } from '../model/types.js';
import type { BodyReads } from './direct-body.js';
import { cutRecord, type RecordDecoder, type WireFraming } from './wire.js';
import { type BodyHead, WireHead } from './wire-head.js';

/** What `WireReads` does with each record of one body. */
export interface WireReadsOptions<Record> {
  /** `maxBytes.record`, for the framing's decoder. */
  maxRecordBytes: number | undefined;
  /** Names the body in errors; `bodyError` reads a vendor error document. */
  head: BodyHead;
  /** Handles one record in the read's synchronous step (its deltas into `out`); true at the terminal record. */
  onRecord(record: Record, out: AdapterDelta[]): boolean;
  /** The deltas due at the end of the body (the translator's `end`), terminal record or not. */
  onEnd?(out: AdapterDelta[]): void;
}

const NO_BYTES = new Uint8Array(0);

/**
 * `BodyReads` over any wire: the framing's decoder frames each network read, every record it
 * completes is handed to `onRecord` in the same synchronous step, and once one was the terminal
 * record the rest of the body is not read. A text body is held until its start shows its wire
 * (`WireHead`). At the end, a record cut off by the body's end is the decoder's `invalid_response`
 * (the whole records before it are handled first), then `onEnd` runs. Errors thrown by the decoder
 * or by `onRecord` come after the deltas pushed before them.
 */
export class WireReads<Record> implements BodyReads {
  private readonly decoder: RecordDecoder<Record>;
  private readonly records: Record[] = [];
  private head: WireHead | undefined;
  private done = false;

  constructor(
    framing: WireFraming<Record>,
    private readonly options: WireReadsOptions<Record>,
  ) {
    const { provider, endpoint } = options.head;
    this.decoder = framing.decoder({ provider, maxRecordBytes: options.maxRecordBytes, endpoint });
    if (framing.startsLike !== undefined) this.head = new WireHead(framing, options.head);
  }

  push(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    if (this.done) return true;
    if (this.head === undefined) return this.decode(bytes, out);
    return this.decodeHeld(this.head.inspect(bytes, false), out);
  }

  end(out: AdapterDelta[]): void {
    if (this.head !== undefined) this.decodeHeld(this.head.inspect(NO_BYTES, true), out);
    if (!this.done) this.decodeEnd(out);
    this.options.onEnd?.(out);
  }

  /** The records the end of the body completes; one it cut off is `cutRecord`'s error. */
  private decodeEnd(out: AdapterDelta[]): void {
    const records = this.records;
    records.length = 0;
    let open: boolean;
    try {
      open = this.decoder.end(records);
    } catch (error) {
      // The whole records before a framing error come first; after the terminal record it is not the response's.
      if (this.handle(records, out)) return;
      throw error;
    }
    const last = open ? records.pop() : undefined;
    if (this.handle(records, out) || last === undefined) return;
    try {
      this.handle([last], out);
    } catch (error) {
      // A last record without its terminator that its reader cannot read was cut off.
      throw error instanceof SyntaxError ? cutRecord(this.options.head.provider, error) : error;
    }
  }

  /** Decodes the held first reads once the head let them through. */
  private decodeHeld(reads: Uint8Array[] | undefined, out: AdapterDelta[]): boolean {
    if (reads === undefined) return false;
    this.head = undefined;
    for (const read of reads) if (this.decode(read, out)) return true;
    return false;
  }

  private decode(bytes: Uint8Array, out: AdapterDelta[]): boolean {
    const records = this.records;
    records.length = 0;
    try {
      this.decoder.push(bytes, records);
    } catch (error) {
      // The records before a framing error come first; after the terminal record it is not the response's.
      if (this.handle(records, out)) return true;
      throw error;
    }
    const done = this.handle(records, out);
    // Let the records go before the next read: their strings are slices of this read's text, and a
    // parked stream would otherwise keep the whole read (16–64 KB) alive until its next one.
    records.length = 0;
    return done;
  }

  private handle(records: Record[], out: AdapterDelta[]): boolean {
    const { onRecord } = this.options;
    for (let index = 0; index < records.length && !this.done; index++) {
      if (onRecord(records[index] as Record, out)) this.done = true;
    }
    return this.done;
  }
}
