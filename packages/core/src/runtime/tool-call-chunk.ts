import { PartialJsonParser } from './partial-json.js';

/**
 * The partial input of one tool call: its argument fragments are kept (one array push each) and
 * parsed only when someone reads `partialInput`, then incrementally, so reading it on every chunk
 * costs time linear in the arguments, and not reading it costs nothing more.
 */
export class PartialArguments {
  private parser: PartialJsonParser | undefined;
  private readonly pending: string[] = [];
  private read = 0;

  /** Keeps one fragment, for a later read. */
  add(fragment: string): void {
    if (fragment !== '') this.pending.push(fragment);
  }

  /** How many fragments were added: the read position of an event made now. */
  get length(): number {
    return this.pending.length;
  }

  /** The best-effort value of the arguments up to fragment `upTo`. */
  valueUpTo(upTo: number): unknown {
    this.parser ??= new PartialJsonParser();
    while (this.read < upTo && this.read < this.pending.length) {
      this.parser.push(this.pending[this.read] as string);
      this.pending[this.read++] = ''; // read: let it go
    }
    return this.parser.value;
  }
}

/** A `tool_call_chunk` event whose `partialInput` is parsed when read. */
export class ToolCallChunkEvent {
  readonly type = 'tool_call_chunk' as const;
  /** The arguments accumulated so far. */
  readonly arguments: string;
  readonly #partial: PartialArguments;
  readonly #upTo: number;

  constructor(
    readonly index: number,
    readonly id: string,
    readonly name: string,
    readonly argumentsDelta: string,
    argumentsSoFar: string,
    partial: PartialArguments,
  ) {
    this.arguments = argumentsSoFar;
    this.#partial = partial;
    this.#upTo = partial.length;
  }

  /** The best-effort parse of the arguments so far (see `ToolCallEvent`). */
  get partialInput(): unknown {
    return this.#partial.valueUpTo(this.#upTo);
  }
}
