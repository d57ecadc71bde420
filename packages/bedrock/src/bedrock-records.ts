import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { TokenwireError } from '@tokenwire/core';
import { bedrockStreamError } from './bedrock-errors.js';
import type { EventStreamMessage } from './bedrock-wire.js';

const decoder = new TextDecoder();

/**
 * One AWS event-stream message as the SDK's unmarshaller handles it, or the error it throws:
 * - `:message-type: event` is `{ [:event-type]: JSON body }`, the SDK's union member (a
 *   `redactedContent` blob stays base64 text, which the translator passes on);
 * - `:message-type: exception` throws the `TokenwireError` of that in-band exception (its code
 *   kept: `throttlingException` is `rate_limit`, as the SDK's `ThrottlingException` is);
 * - any other message (`:message-type: error`) throws a `server` error with its `:error-code`
 *   and `:error-message`;
 * - a body that is not JSON throws `JSON.parse`'s `SyntaxError` (core's `invalid_response`).
 */
export function bedrockRecord(message: EventStreamMessage, provider: string): ConverseStreamOutput {
  const type = header(message, ':message-type');
  if (type === 'event') {
    const eventType = header(message, ':event-type') ?? 'unknown';
    return { [eventType]: JSON.parse(decoder.decode(message.body)) } as unknown as ConverseStreamOutput;
  }
  if (type === 'exception') {
    throw bedrockStreamError(
      header(message, ':exception-type') ?? 'exception',
      parsed(message.body),
      provider,
    );
  }
  throw new TokenwireError({
    code: 'server',
    provider,
    message: `The Bedrock stream reported an error ${header(message, ':error-code') ?? '(no code)'}: ${header(message, ':error-message') ?? 'no message'}`,
  });
}

function header(message: EventStreamMessage, name: string): string | undefined {
  const value = message.headers[name]?.value;
  return typeof value === 'string' ? value : undefined;
}

/** An exception's body: its JSON fields, or its text as the message. */
function parsed(body: Uint8Array): unknown {
  const text = decoder.decode(body);
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
