import { Readable } from 'node:stream';
import {
  type BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import {
  type ChunkStream,
  defineAdapter,
  type ProviderSettings,
  type VendorAdapter,
} from '@tokenwire/core/adapter';
import {
  createBedrockClient,
  registerSettingsSecrets,
  registerSignedRequestSecrets,
} from './bedrock-client.js';
import { openBedrockDirectStream, type RawBody } from './bedrock-direct.js';
import { normalizeBedrockError } from './bedrock-errors.js';
import { jsonAnswerMethodOf } from './bedrock-json-answer.js';
import { toConverseStreamInput } from './bedrock-messages.js';
import { checkBedrockRequest } from './bedrock-request-checks.js';
import {
  BEDROCK_SETTING_KINDS,
  type BedrockAdapterSettings,
  bedrockSettingsConflict,
} from './bedrock-settings.js';
import { createBedrockStreamState, endBedrockStream, translateBedrockEvent } from './bedrock-stream.js';

export type { BedrockStructuredOutput } from './bedrock-json-answer.js';
export type { BedrockAdapterSettings } from './bedrock-settings.js';

/** The Bedrock adapter: `name` 'bedrock', the provider it serves, and the SDK client it uses as `client`. */
export type BedrockAdapter = VendorAdapter<BedrockRuntimeClient, ConverseStreamOutput>;

/** The HTTP request a command middleware sees (the SDK's `HttpRequest`, by the fields used here). */
interface SignableRequest {
  headers: Record<string, string>;
}
type Handler = (args: { request: unknown }) => Promise<unknown>;
type MiddlewareStack = {
  add(
    middleware: (next: Handler) => Handler,
    options: { step: string; name: string; priority?: string; tags?: string[]; override?: boolean },
  ): void;
};

/** Where the direct transport's middleware puts the raw HTTP body the SDK received. */
interface BodyHolder {
  body?: RawBody;
}

/** The events of a response without an event stream: none, so the runtime reports it as truncated. */
const NO_EVENTS: AsyncIterable<ConverseStreamOutput> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
};

/**
 * Creates the adapter that streams every Bedrock model through `@aws-sdk/client-bedrock-runtime`'s
 * `ConverseStream` (`bedrock/<model id>`: a model id, an inference profile id or ARN, a provisioned
 * model ARN). It never throws: no client is created until the first request, and an unknown setting
 * or one of the wrong kind is that request's `configuration` error event. Bedrock's own request
 * limits (see `checkBedrockRequest`) are `invalid_request` errors, and nothing is sent. Cancelling
 * aborts the SDK request (`abortSignal`), which closes its connection.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { bedrock: createBedrockAdapter({ region: 'us-east-1' }) } });
 * tokenwire.stream({ model: 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', messages });
 */
export function createBedrockAdapter(settings: BedrockAdapterSettings = {}): BedrockAdapter {
  const provider = typeof settings.provider === 'string' ? settings.provider : 'bedrock';
  const structuredOutput = settings.structuredOutput ?? 'native';
  const setupProblem = bedrockSettingsConflict(settings, provider);
  const direct = settings.transport !== 'sdk';
  registerSettingsSecrets(settings);
  let client = settings.client;
  const getClient = (): BedrockRuntimeClient => {
    client ??= createBedrockClient(settings);
    return client;
  };

  return defineAdapter({
    name: 'bedrock',
    provider,
    settings,
    settingKinds: BEDROCK_SETTING_KINDS,
    client: getClient,
    checkRequest: (request) => checkBedrockRequest(request, provider, structuredOutput),
    // The fast path: the runtime iterates the SDK's event stream itself and calls the synchronous translator.
    async open(request, context): Promise<ChunkStream<ConverseStreamOutput>> {
      if (setupProblem !== undefined) throw setupProblem;
      const input = toConverseStreamInput(request, structuredOutput);
      const command = commandWith(input, { ...settings.headers, ...request.headers });
      const holder: BodyHolder = {};
      if (direct) keepRawBody(command, holder);
      const output = await getClient().send(command, { abortSignal: context.signal });
      const state = createBedrockStreamState({
        provider,
        model: request.model,
        responseId: output.$metadata.requestId,
        jsonAnswerTool: jsonAnswerMethodOf(request, structuredOutput) === 'tool',
      });
      if (holder.body !== undefined) {
        // The SDK's own event stream over the body stays unread: the body is this stream's.
        return openBedrockDirectStream(holder.body, {
          provider,
          maxRecordBytes: context.maxRecordBytes,
          translateEvent: (event, out) => translateBedrockEvent(event, state, out),
          end: (out) => endBedrockStream(state, out),
        }) as unknown as ChunkStream<ConverseStreamOutput>;
      }
      return {
        // On abort the SDK's request is destroyed (its connection closed) and this iteration ends.
        chunks: output.stream ?? NO_EVENTS,
        // True at `metadata`, the last event: the runtime finishes and closes.
        translate: (event, out) => translateBedrockEvent(event, state, out),
        end: (out) => endBedrockStream(state, out),
      };
    },
    normalizeError: (error) => normalizeBedrockError(error, provider),
  });
}

/**
 * The uniform factory core calls for configuration-driven loading (`providers: { bedrock: { region } }`,
 * or none): the same as `createBedrockAdapter`, with the settings checked the same way. Region and
 * credentials default to the AWS default chain.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): BedrockAdapter {
  return createBedrockAdapter(settings as BedrockAdapterSettings);
}

/**
 * The ConverseStream command, with middlewares of its own (the client is left as it is): one in
 * place of the SDK's retry middleware, one that adds the extra headers before signing, one that
 * registers the signed request's credentials as secrets.
 */
function commandWith(
  input: ConverseStreamCommandInput,
  headers: Record<string, string>,
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
      registerSignedRequestSecrets((args.request as SignableRequest).headers);
      return next(args);
    },
    { step: 'deserialize', name: 'tokenwireSignedSecrets' },
  );
  return command;
}

/**
 * The direct transport's middleware: innermost in the deserialize step, it sees the HTTP response
 * before the SDK's deserializer and takes a 200's raw body, handing the deserializer an empty one.
 * A non-2xx answer is left to the deserializer, which throws its exception classes.
 */
function keepRawBody(command: ConverseStreamCommand, holder: BodyHolder): void {
  const stack = command.middlewareStack as unknown as MiddlewareStack;
  stack.add(
    (next) => async (args) => {
      const result = (await next(args)) as { response?: { statusCode?: number; body?: unknown } };
      const response = result.response;
      const status = response?.statusCode ?? 0;
      if (response !== undefined && status >= 200 && status < 300) {
        holder.body = response.body as RawBody;
        // The SDK's deserializer reads the first event at once (for an initial response): it gets
        // an empty body, and the real one stays unread for the direct stream.
        response.body = Readable.from([]);
      }
      return result;
    },
    { step: 'deserialize', name: 'tokenwireRawBody', priority: 'low' },
  );
}
