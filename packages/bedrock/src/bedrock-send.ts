import type { Readable } from 'node:stream';
import {
  type BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { ChatRequest, SendContext, Sent } from '@tokenwire/core/adapter';
import { registerSignedRequestSecrets } from './bedrock-client.js';
import type { BedrockStructuredOutput } from './bedrock-json-answer.js';
import { toConverseStreamInput } from './bedrock-messages.js';
import { canRequireSdkModules, emptyBodyLike } from './bedrock-sdk-modules.js';
import type { BedrockStreamState } from './bedrock-stream.js';

/** What one adapter sends with, and what it learnt from the requests it sent. */
export interface BedrockSendTarget {
  structuredOutput: BedrockStructuredOutput;
  /** `settings.headers`, sent with every request (a request's own `headers` beside them). */
  headers: Record<string, string> | undefined;
  /** Where the last request went (`https://bedrock-runtime.us-east-1.amazonaws.com`), once one was signed. */
  sentTo?: string;
}

/** The HTTP request and response a command middleware sees (the SDK's `HttpRequest` and `HttpResponse`, by the fields used here). */
interface SignableRequest {
  headers: Record<string, string>;
  protocol?: string;
  hostname?: string;
  port?: number;
}
interface ReceivedResponse {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: unknown;
}
type Handler = (args: { request: unknown }) => Promise<unknown>;
type MiddlewareStack = {
  add(
    middleware: (next: Handler) => Handler,
    options: { step: string; name: string; priority?: string; tags?: string[]; override?: boolean },
  ): void;
};

/** The raw HTTP body of a 200: a Node stream (the SDK's HTTP/1.1 and HTTP/2 handlers) or a web stream (its fetch handler). */
type RawBody = (Readable & AsyncIterable<Uint8Array>) | ReadableStream<Uint8Array>;

/** The events of a response without an event stream: none, so the runtime reports it as truncated. */
const NO_EVENTS: AsyncIterable<ConverseStreamOutput> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
};

/**
 * Sends a ConverseStream request through the SDK (signing, endpoint, its exception classes for
 * non-2xx answers), with the SDK's retries off for this command and the runtime's abort signal.
 * With the direct transport a command middleware takes the raw 200 body before the SDK's
 * deserializer reads it, and hands it to core with the response's headers; with `'sdk'` (or a
 * response the middleware did not see) the SDK's own event stream is handed over, which the abort
 * signal closes (the SDK destroys its request). The state learns the response's request id.
 */
export async function sendBedrock(
  target: BedrockSendTarget,
  client: BedrockRuntimeClient,
  request: ChatRequest,
  context: SendContext<BedrockStreamState>,
): Promise<Sent<ConverseStreamOutput>> {
  const input = toConverseStreamInput(request, target.structuredOutput);
  const command = commandWith(input, { ...target.headers, ...request.headers }, target);
  const received: { response?: ReceivedResponse } = {};
  // Where the SDK's event-stream codec cannot be required (a Worker), the SDK reads its own stream.
  if (context.transport === 'direct' && canRequireSdkModules()) keepRawBody(command, received);
  const output = await client.send(command, { abortSignal: context.signal });
  context.state.responseId = output.$metadata.requestId;
  const raw = received.response?.body as RawBody | undefined;
  if (raw === undefined) return { chunks: output.stream ?? NO_EVENTS };
  if (raw instanceof ReadableStream) return { body: raw, headers: headersOf(received.response) };
  return {
    // Over the Node stream's own iterator, which hands over all that arrived since the last read
    // (one step per read); cancelling returns the iterator, which destroys the stream and with it
    // the request's own connection.
    body: webStreamOf(raw),
    headers: headersOf(received.response),
    release: () => raw.destroy(),
  };
}

/**
 * The ConverseStream command, with middlewares of its own (the client is left as it is): one in
 * place of the SDK's retry middleware, one that adds the extra headers before signing, one that
 * registers the signed request's credentials as secrets and notes where it went.
 */
function commandWith(
  input: ConverseStreamCommandInput,
  headers: Record<string, string>,
  target: BedrockSendTarget,
): ConverseStreamCommand {
  const command = new ConverseStreamCommand(input);
  const stack = command.middlewareStack as unknown as MiddlewareStack;
  // The SDK's retries off for this command, whatever the client's `maxAttempts`: a command's entry
  // of the same name overrides the client's when the SDK joins the two stacks (tokenwire retries).
  stack.add((next) => (args) => next(args), {
    step: 'finalizeRequest',
    priority: 'high',
    name: 'retryMiddleware',
    tags: ['RETRY'],
    override: true,
  });
  if (Object.keys(headers).length > 0) {
    stack.add(
      (next) => (args) => {
        Object.assign((args.request as SignableRequest).headers, headers);
        return next(args);
      },
      { step: 'build', name: 'tokenwireHeaders' },
    );
  }
  stack.add(
    (next) => (args) => {
      const signed = args.request as SignableRequest;
      registerSignedRequestSecrets(signed.headers);
      target.sentTo = originOf(signed) ?? target.sentTo;
      return next(args);
    },
    { step: 'deserialize', name: 'tokenwireSignedSecrets' },
  );
  return command;
}

/**
 * The direct transport's middleware: innermost in the deserialize step, it sees the HTTP response
 * before the SDK's deserializer and keeps a 200 with its raw body, handing the deserializer an
 * empty one. A non-2xx answer is left to the deserializer, which throws its exception classes.
 */
function keepRawBody(command: ConverseStreamCommand, received: { response?: ReceivedResponse }): void {
  const stack = command.middlewareStack as unknown as MiddlewareStack;
  stack.add(
    (next) => async (args) => {
      const result = (await next(args)) as { response?: ReceivedResponse };
      const response = result.response;
      const status = response?.statusCode ?? 0;
      if (response !== undefined && response.body !== undefined && status >= 200 && status < 300) {
        received.response = { ...response };
        // The SDK's deserializer reads the first event at once (for an initial response): it gets
        // an empty body, and the real one stays unread for core to frame.
        response.body = emptyBodyLike(response.body);
      }
      return result;
    },
    { step: 'deserialize', name: 'tokenwireRawBody', priority: 'low' },
  );
}

/** A web stream over an async iterable, one `next()` per read and none ahead (as `ReadableStream.from`). */
function webStreamOf(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const read = await iterator.next();
        if (read.done) controller.close();
        else controller.enqueue(read.value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function headersOf(response: ReceivedResponse | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response?.headers ?? {})) {
    if (typeof value === 'string') headers.append(name, value);
  }
  return headers;
}

/** `https://host:port` of a signed request, or undefined when it does not say. */
function originOf(request: SignableRequest): string | undefined {
  if (request.hostname === undefined) return undefined;
  const port = request.port === undefined ? '' : `:${request.port}`;
  return `${request.protocol ?? 'https:'}//${request.hostname}${port}`;
}
