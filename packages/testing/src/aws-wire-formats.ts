/**
 * The AWS event-stream wires the replay server speaks (`application/vnd.amazon.eventstream`):
 * Bedrock's ConverseStream, and InvokeModelWithResponseStream as `@anthropic-ai/bedrock-sdk` reads
 * it (Anthropic's events, each base64 JSON in a `chunk` event). Frames are encoded with the
 * `EventStreamCodec` of `@smithy/core/event-streams`, the codec the AWS SDK decodes them with
 * (`@smithy/eventstream-codec` is now a re-export of it).
 * @see https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html (the frame format)
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { CustomWireFormat } from './wire-format.js';
import type { InBandErrorOptions } from './wire-formats.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

const text = (value: string) => ({ type: 'string' as const, value });

/** One `:message-type: event` frame with a JSON (or, for a malformed record, verbatim) body. */
function eventFrame(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': text(eventType),
      ':content-type': text('application/json'),
      ':message-type': text('event'),
    },
    body: encoder.encode(typeof body === 'string' ? body : JSON.stringify(body)),
  });
}

/**
 * The exception frame of an in-band error: `type` is the exception member (default
 * `modelStreamErrorException`, "An error occurred while streaming the response"), `code` its
 * `originalStatusCode`.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
 */
function exceptionFrame(options: InBandErrorOptions): Uint8Array {
  const type = options.type ?? 'modelStreamErrorException';
  const body: Record<string, unknown> = {
    message: options.message ?? 'An error occurred while streaming the response. Retry your request.',
  };
  if (typeof options.code === 'number') body.originalStatusCode = options.code;
  return codec.encode({
    headers: {
      ':exception-type': text(type),
      ':content-type': text('application/json'),
      ':message-type': text('exception'),
    },
    body: encoder.encode(JSON.stringify(body)),
  });
}

/** The Bedrock Runtime exception an HTTP error status stands for. */
export function awsErrorType(status: number): string {
  switch (status) {
    case 400:
    case 413:
      return 'ValidationException';
    case 401:
      return 'UnrecognizedClientException';
    case 403:
      return 'AccessDeniedException';
    case 404:
      return 'ResourceNotFoundException';
    case 408:
      return 'ModelTimeoutException';
    case 424:
      return 'ModelErrorException';
    case 429:
      return 'ThrottlingException';
    case 503:
    case 529:
      return 'ServiceUnavailableException';
    default:
      return status >= 500 ? 'InternalServerException' : 'ValidationException';
  }
}

/** What AWS's restJson1 services answer an error with: `x-amzn-errortype` and a `{ message }` body. */
const awsErrors: Pick<CustomWireFormat, 'errorBody' | 'errorHeaders' | 'encodeInBandError' | 'contentType'> =
  {
    contentType: 'application/vnd.amazon.eventstream',
    errorBody: (_status, message) => ({ message }),
    errorHeaders: (status) => ({
      'x-amzn-errortype': `${awsErrorType(status)}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    }),
    encodeInBandError: exceptionFrame,
  };

/**
 * Bedrock's ConverseStream at `/model/{modelId}/converse-stream` (the model id URL-encoded, so
 * inference profile ARNs stay one segment). A payload is the SDK's event union member,
 * `{ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } }`: its key is the frame's
 * `:event-type`, its value the JSON body. A string payload is sent as a `contentBlockDelta` body
 * verbatim (a malformed record).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 */
export const bedrockConverseWire: CustomWireFormat = {
  name: 'bedrock-converse',
  path: /^\/model\/[^/]+\/converse-stream$/,
  ...awsErrors,
  encodeRecord(payload) {
    if (typeof payload === 'string') return eventFrame('contentBlockDelta', payload);
    const [eventType, body] = Object.entries(payload as Record<string, unknown>)[0] ?? ['unknown', {}];
    return eventFrame(eventType, body);
  },
  emptyPayload: { contentBlockDelta: { contentBlockIndex: 0, delta: { text: '' } } },
};

/**
 * Bedrock's InvokeModelWithResponseStream at `/model/{modelId}/invoke-with-response-stream`, as
 * Claude answers it: each payload (an Anthropic Messages stream event) base64 JSON in the `bytes`
 * of a `chunk` event. A string payload is sent base64 as it is (a malformed record).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
 */
export const bedrockInvokeWire: CustomWireFormat = {
  name: 'bedrock-invoke',
  path: /^\/model\/[^/]+\/invoke-with-response-stream$/,
  ...awsErrors,
  encodeRecord(payload) {
    const json = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return eventFrame('chunk', { bytes: Buffer.from(json).toString('base64') });
  },
  emptyPayload: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '' } },
};
