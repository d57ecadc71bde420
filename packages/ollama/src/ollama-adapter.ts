import {
  type Adapter,
  type AdapterContext,
  type AdapterDelta,
  type ChatRequest,
  type ChunkStream,
  deltasFromChunkStream,
  type ProviderSettings,
  TokenwireError,
} from '@tokenwire/core';
import { type AbortableAsyncIterator, type ChatResponse, Ollama } from 'ollama';
import { normalizeOllamaError } from './ollama-errors.js';
import { createOllamaStreamFetch, NdjsonLineCount } from './ollama-fetch.js';
import { type OllamaStreamingChatRequest, toOllamaChatRequest } from './ollama-messages.js';
import { createOllamaStreamState, translateOllamaChunk } from './ollama-stream.js';

/** The host when neither the `host` setting nor OLLAMA_HOST is set: a local Ollama. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** Settings of `createOllamaAdapter`. */
export interface OllamaAdapterSettings {
  /**
   * An `Ollama` client to use as is. Without it, the adapter builds its own from the settings
   * below. With it, `host`, `headers` and `fetch` are ignored, per-request `headers` cannot be
   * sent, a cancel before the response headers arrive waits for them to close the connection,
   * and a malformed line is skipped by the client (logged with `console.warn`) instead of
   * failing the stream.
   */
  client?: Ollama;
  /** The Ollama server. Default: the OLLAMA_HOST environment variable, then `http://127.0.0.1:11434`. */
  host?: string;
  /** Headers of every request, e.g. `{ Authorization: 'Bearer …' }` for ollama.com (OLLAMA_API_KEY is sent there automatically). */
  headers?: Record<string, string>;
  /** `keep_alive` of every request: how long the model stays loaded (`'5m'`, `'1h'`, seconds, `-1`, `0`). Default: the server's (5 minutes). */
  keepAlive?: string | number;
  /** The fetch the client uses, e.g. one with a proxy dispatcher. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Provider name used in errors. Default 'ollama'. */
  provider?: string;
}

/** The Ollama adapter: an `Adapter` with the `open()` fast path, plus the client it wraps. */
export interface OllamaAdapter extends Adapter {
  readonly name: 'ollama';
  open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<ChatResponse>>;
  /** The client passed in, or one built from the settings on first access (for `list()`, `pull()`, …). */
  readonly client: Ollama;
  /** The Ollama server this adapter talks to. */
  readonly host: string;
}

/**
 * Creates the tokenwire adapter over the official `ollama` client. Each stream is one
 * `chat({ stream: true })` call; cancelling it aborts that request only (never `client.abort()`,
 * which would cancel every other stream of the client) and closes its connection.
 *
 * Without a `client`, every stream gets a fresh lightweight `Ollama` instance built from the
 * settings, because only a per-stream `fetch` can abort a request that is still waiting for its
 * response headers (Ollama sends them with the first token, after loading the model), send
 * per-request headers, and detect the lines the client would skip.
 *
 * @example
 * const tokenwire = createTokenwire({ providers: { ollama: createOllamaAdapter({ keepAlive: '10m' }) } });
 */
export function createOllamaAdapter(settings: OllamaAdapterSettings = {}): OllamaAdapter {
  const provider = settings.provider ?? 'ollama';
  const passedClient = settings.client;
  const host =
    passedClient !== undefined
      ? (hostOf(passedClient) ?? settings.host ?? 'the host of the given client')
      : (settings.host ?? environmentHost() ?? DEFAULT_OLLAMA_HOST);
  const headers = settings.headers ?? {};
  const baseFetch = settings.fetch;
  let sharedClient = passedClient;

  const newClient = (extra: { headers?: Record<string, string>; fetch?: typeof globalThis.fetch }) => {
    const fetch = extra.fetch ?? baseFetch;
    return new Ollama({
      host,
      headers: { ...headers, ...extra.headers },
      ...(fetch === undefined ? {} : { fetch }),
    });
  };

  const adapter: OllamaAdapter = {
    name: 'ollama',
    host,
    get client() {
      sharedClient ??= newClient({});
      return sharedClient;
    },
    normalizeError: (error) => normalizeOllamaError(error, { host, provider }),
    // The fast path: the runtime iterates the client's stream itself and calls the synchronous
    // translator, so no async generator of ours sits between the client and the consumer.
    async open(request: ChatRequest, context: AdapterContext): Promise<ChunkStream<ChatResponse>> {
      const { signal } = context;
      const params = toOllamaChatRequest(request, { keepAlive: settings.keepAlive, provider });
      let client: Ollama;
      let lines: NdjsonLineCount | undefined;
      if (passedClient === undefined) {
        lines = new NdjsonLineCount();
        client = newClient({
          headers: request.headers,
          fetch: createOllamaStreamFetch({ fetch: baseFetch, signal, lines, provider }),
        });
      } else {
        if (request.headers !== undefined && Object.keys(request.headers).length > 0) {
          throw new TokenwireError({
            code: 'configuration',
            provider,
            message:
              'Per-request headers cannot be sent through an Ollama client passed as `client`: ollama-js takes ' +
              'headers only in its constructor. Give the adapter `host` and `headers` settings instead of a client.',
          });
        }
        client = passedClient;
      }
      if (signal.aborted) return NOTHING;
      const iterator = await untilAborted(client.chat(withImageBytes(params)), signal);
      if (iterator === undefined) return NOTHING;
      // Abort this request only: client.abort() would cancel every other stream of the client, and
      // the client keeps the connection open when iteration merely stops.
      const release = () => {
        signal.removeEventListener('abort', release);
        iterator.abort();
        if (passedClient !== undefined) forgetStream(passedClient, iterator);
      };
      if (signal.aborted) {
        release();
        return NOTHING;
      }
      signal.addEventListener('abort', release, { once: true });
      const state = createOllamaStreamState();
      return {
        chunks: iterator,
        translate(chunk, out) {
          if (lines !== undefined) {
            lines.received++;
            if (chunk.done === true) {
              const skipped = lines.check(provider);
              if (skipped !== undefined) throw skipped;
            }
          }
          translateOllamaChunk(chunk, state, out);
        },
        end: () => signal.removeEventListener('abort', release),
        close: release,
      };
    },
    stream(request: ChatRequest, context: AdapterContext): AsyncIterable<AdapterDelta> {
      return deltasFromChunkStream(() => adapter.open(request, context));
    },
  };
  return adapter;
}

/**
 * The uniform entry point `createTokenwire` calls for provider `ollama` (and any provider with
 * `adapter: 'ollama'`). Reads `host` (or `baseURL`), `headers`, `keepAlive` and `apiKey` (sent as
 * `Authorization: Bearer`, for ollama.com); the host defaults to OLLAMA_HOST, then
 * `http://127.0.0.1:11434`.
 */
export function createAdapter(settings: ProviderSettings & { provider: string }): OllamaAdapter {
  const host = optionalString(settings.host ?? settings.baseURL, 'host', settings.provider);
  const keepAlive = settings.keepAlive;
  if (keepAlive !== undefined && typeof keepAlive !== 'string' && typeof keepAlive !== 'number') {
    throw settingError(
      settings.provider,
      'keepAlive must be a duration string like "10m" or a number of seconds.',
    );
  }
  const headers = settings.headers;
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers))) {
    throw settingError(settings.provider, 'headers must be an object of header names to values.');
  }
  const allHeaders: Record<string, string> = { ...(headers as Record<string, string> | undefined) };
  if (typeof settings.apiKey === 'string' && settings.apiKey !== '') {
    allHeaders.Authorization = `Bearer ${settings.apiKey}`;
  }
  const options: OllamaAdapterSettings = { provider: settings.provider, headers: allHeaders };
  if (host !== undefined) options.host = host;
  if (keepAlive !== undefined) options.keepAlive = keepAlive;
  if (typeof settings.fetch === 'function') options.fetch = settings.fetch as typeof globalThis.fetch;
  return createOllamaAdapter(options);
}

/** What `open()` returns when the stream was cancelled before the response came: no chunks. */
const NOTHING: ChunkStream<ChatResponse> = {
  chunks: { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) },
  translate: () => {},
};

/** The host of a client passed in, for error messages only (ollama-js keeps it in a protected field). */
function hostOf(client: Ollama): string | undefined {
  const host = (client as unknown as { config?: { host?: unknown } }).config?.host;
  return typeof host === 'string' && host !== '' ? host : undefined;
}

function environmentHost(): string | undefined {
  const value = globalThis.process?.env?.OLLAMA_HOST?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Resolves with the iterator, or with undefined as soon as the signal aborts. A client passed in
 * cannot abort a request still waiting for its headers, so its iterator is aborted when it comes.
 */
function untilAborted(
  pending: Promise<AbortableAsyncIterator<ChatResponse>>,
  signal: AbortSignal,
): Promise<AbortableAsyncIterator<ChatResponse> | undefined> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      resolve(undefined);
      pending.then(
        (late) => late.abort(),
        () => {},
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (iterator) => {
        signal.removeEventListener('abort', onAbort);
        resolve(iterator);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The Node build of ollama-js treats every image string that names an existing file as a path and
 * sends that file instead (`encodeImage`), so untrusted "base64" like `/etc/passwd` would leak a
 * local file. Bytes are never read as paths: the client base64-encodes them itself.
 */
function withImageBytes(params: OllamaStreamingChatRequest): OllamaStreamingChatRequest {
  if (!params.messages.some((message) => message.images !== undefined)) return params;
  return {
    ...params,
    messages: params.messages.map((message) =>
      message.images === undefined
        ? message
        : { ...message, images: message.images.map((image) => Buffer.from(image, 'base64')) },
    ),
  } as OllamaStreamingChatRequest;
}

/**
 * ollama-js forgets a streamed request only when its `done` line arrives, so every aborted or
 * failed stream would stay in the client's `ongoingStreamedRequests` for the client's lifetime.
 * Remove it, if this version of the client has that (protected) list.
 */
function forgetStream(client: Ollama, iterator: AbortableAsyncIterator<ChatResponse>): void {
  const ongoing = (client as unknown as { ongoingStreamedRequests?: unknown }).ongoingStreamedRequests;
  if (!Array.isArray(ongoing)) return;
  const index = ongoing.indexOf(iterator);
  if (index !== -1) ongoing.splice(index, 1);
}

function optionalString(value: unknown, name: string, provider: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw settingError(provider, `${name} must be a string like "http://127.0.0.1:11434".`);
  return value;
}

function settingError(provider: string, message: string): TokenwireError {
  return new TokenwireError({
    code: 'configuration',
    provider,
    message: `Provider '${provider}': ${message}`,
  });
}
