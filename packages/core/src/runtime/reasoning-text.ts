import { estimateQuarterTokens } from '../model/estimate-tokens.js';
import type { AdapterDelta, FinishEvent, ReasoningChunk, ReasoningPart } from '../model/types.js';
import { flatten, shouldFlatten } from './flatten.js';

type ReasoningDelta = Extract<AdapterDelta, { type: 'reasoning' }>;

/**
 * The reasoning of one attempt: its text as it accumulates (flattened like the content), its
 * blocks as signatures, redacted data and provider blocks close them, and its token estimate.
 */
export class ReasoningText {
  text = '';
  /** Quarter-tokens of the text, for the output estimate when the provider reports none. */
  units = 0;
  private appended = 0;
  private readonly parts: ReasoningPart[] = [];
  private partStart = 0;

  /** Goes on from the reasoning of the steps before. */
  carry(text: string): void {
    this.text = text;
    this.partStart = text.length;
  }

  /** Appends a delta's text and returns its event; a closing delta (signature, redacted, block) ends a part. */
  push(delta: ReasoningDelta): ReasoningChunk {
    this.text += delta.delta;
    this.appended += delta.delta.length;
    if (shouldFlatten(this.appended, this.text.length)) {
      flatten(this.text); // as for the content
      this.appended = 0;
    }
    this.units += estimateQuarterTokens(delta.delta);
    const event: ReasoningChunk = {
      type: 'reasoning',
      content: delta.delta,
      accumulatedReasoning: this.text,
    };
    if (!closes(delta)) return event;
    const part = this.closePart();
    if (delta.signature !== undefined) part.signature = event.signature = delta.signature;
    if (delta.redactedData !== undefined) part.redactedData = event.redactedData = delta.redactedData;
    if (delta.providerBlock !== undefined) part.providerBlock = event.providerBlock = delta.providerBlock;
    return event;
  }

  /** Cuts the reasoning back to `text` (what the consumer read), with the blocks closed after it. */
  rollBack(text: string): void {
    this.text = text;
    let end = this.partStart;
    while (end > text.length && this.parts.length > 0) end -= (this.parts.pop() as ReasoningPart).text.length;
    this.partStart = Math.min(end, text.length);
  }

  /** Puts the blocks on a finish event (`reasoningParts`), when there is any reasoning. */
  addParts(event: FinishEvent): void {
    const open = this.text.length > this.partStart;
    if (this.parts.length === 0 && !open) return;
    const parts = [...this.parts];
    if (open) parts.push({ text: this.text.slice(this.partStart) });
    event.reasoningParts = parts;
  }

  private closePart(): ReasoningPart {
    const part: ReasoningPart = { text: this.text.slice(this.partStart) };
    this.parts.push(part);
    this.partStart = this.text.length;
    return part;
  }
}

/** A reasoning delta that ends a block: it carries a signature, redacted data or a provider block. */
export function closes(delta: ReasoningDelta): boolean {
  return (
    delta.signature !== undefined || delta.redactedData !== undefined || delta.providerBlock !== undefined
  );
}
