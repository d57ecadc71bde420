// The gateway's own request and answer: what `fetch` (web Request/Response) and `listen` (node:http)
// both convert to and from, so that neither pays for the other's conversion.

/** One HTTP request as the handler reads it. */
export interface GatewayRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The query string without its `?`; empty when there is none. */
  query: string;
  /** A header's value, by lower-case name; null when absent. */
  header(name: string): string | null;
  /** The body's bytes as they arrive; null without a body. */
  body: AsyncIterable<Uint8Array> | null;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** The records of a streamed answer, pulled one piece at a time. */
export interface AnswerSource {
  /** The next piece of the body (one or more complete records); undefined at the end. */
  next(): Promise<string | undefined>;
  /** The client went away: cancels the upstream stream. */
  cancel(): void;
}

/** One HTTP answer. */
export interface GatewayAnswer {
  status: number;
  headers: Record<string, string>;
  /** A whole body, or a stream of records. */
  body: string | AnswerSource;
  /** Close the connection after answering (the request body was not read to its end). */
  closeConnection?: boolean;
}

/** A JSON answer. */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): GatewayAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
