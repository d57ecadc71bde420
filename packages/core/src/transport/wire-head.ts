import { bodyExcerpt, looksLikeHtml } from '../model/body-excerpt.js';
import { TokenwireError } from '../model/errors.js';
import type { WireFraming } from './wire.js';

/** How much of a body that is not of its wire is read, to quote it. */
export const LONGEST_QUOTED_BODY = 4_096;

/** What the error of a body that is not of its wire says, and how a vendor error document is read. */
export interface BodyHead {
  /** Named in the error. */
  provider: string;
  /** The response's `content-type`, named in the error. */
  contentType: string | null;
  /** `POST https://host/path`, or the provider's API: how the request is named in the error. */
  request: string;
  /** A 200 body that is not of its wire may be a vendor error document: the error it holds, if any. */
  bodyError?(text: string): unknown;
  /** The base URL the body comes from (the adapter's `endpoint()`), named in errors about its records. */
  endpoint?: string | undefined;
}

/**
 * The first reads of a text body, held until they show whether the body is of its wire: then they
 * are handed back to be decoded. A body that is not (an HTML page, plain text, a JSON document) is
 * refused once enough of it arrived to quote, or when it ended.
 */
export class WireHead {
  private readonly reads: Uint8Array[] = [];
  private text = '';
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly framing: WireFraming<unknown>,
    private readonly head: BodyHead,
  ) {}

  /** Holds one read (`done`: the body ended); returns every read held once the body showed its wire. */
  inspect(bytes: Uint8Array, done: boolean): Uint8Array[] | undefined {
    if (bytes.length > 0) this.reads.push(bytes);
    this.text += this.decoder.decode(bytes, { stream: !done });
    const startsLike = this.framing.startsLike?.(this.text) ?? true;
    const enough = done || this.text.length >= LONGEST_QUOTED_BODY;
    if (startsLike === false) {
      if (enough) throw notOfTheWire(this.text, done, this.framing.name, this.head);
      return undefined;
    }
    // Only blank lines so far: wait for more, but not forever.
    if (startsLike === undefined && !enough) return undefined;
    return this.reads;
  }
}

/**
 * The error of a 200 whose body is not of its wire, saying what arrived: the vendor's error when
 * the whole body is one of its error documents, else `invalid_response` quoting the body.
 */
export function notOfTheWire(text: string, whole: boolean, wireName: string, head: BodyHead): unknown {
  const vendorError = whole ? head.bodyError?.(text) : undefined;
  if (vendorError !== undefined) return vendorError;
  const type = head.contentType?.split(';')[0]?.trim();
  const what = looksLikeHtml(text)
    ? bodyExcerpt(text)
    : `${type ? `a body of type ${type}` : 'a body'} ("${bodyExcerpt(text, 200)}")`;
  const { provider } = head;
  return new TokenwireError({
    code: 'invalid_response',
    provider,
    message: `${provider} answered ${head.request} with ${what}, not an ${wireName}: is the base URL right?`,
  });
}
