import type { FinishEvent, StreamEvent, StreamRequest } from '@tokenwire/core';
import type { GatewayProblem } from '../gateway-problem.js';

/** A request a dialect decoded: the tokenwire request without its model, which is resolved next. */
export interface DecodedRequest {
  /** The model the client named: an alias of `models`, or a tokenwire `provider/model` string. */
  model: string;
  request: Omit<StreamRequest, 'model'>;
  /** Whether the client asked for a stream (SSE) or one JSON body. */
  stream: boolean;
  /** OpenAI chat's `stream_options.include_usage`: a last chunk with the usage. */
  includeUsage?: boolean;
}

/** What an encoder knows about the answer before it starts. */
export interface AnswerContext {
  /** The model name the client asked for, echoed in every record. */
  model: string;
  includeUsage: boolean;
  /** Seconds since the epoch, for the `created` fields. */
  created: number;
  /** A unique suffix for the response's ids (`chatcmpl-…`, `msg_…`, `resp_…`). */
  id: string;
}

/**
 * Turns tokenwire's events into the dialect's SSE records, synchronously and in time linear in
 * the answer: each event gives the text of zero or more complete records.
 */
export interface StreamEncoder {
  encode(event: StreamEvent): string;
}

/** One HTTP dialect: a request decoder, a stream encoder, a JSON body and its error shape. */
export interface Dialect {
  readonly name: 'chat' | 'messages' | 'responses';
  /** Decodes a request body; throws a `RequestRefusal` naming the field it refuses. */
  decode(body: unknown): DecodedRequest;
  /** An encoder for one streamed answer. */
  streamEncoder(context: AnswerContext): StreamEncoder;
  /** The whole answer as the dialect's JSON body (a request with `stream: false`). */
  answerBody(finish: FinishEvent, context: AnswerContext): unknown;
  /** The dialect's HTTP error body and status for a problem. */
  errorAnswer(problem: GatewayProblem): { status: number; body: unknown };
}

/** One SSE record: `event: name` (when the dialect names its events) and one `data:` line. */
export function sseRecord(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
