import type { Adapter, AdapterContext, AdapterDelta, ChatRequest, ChunkStream } from '../model/types.js';

/** What `wrapStream` gets: the request (transformed), the adapter's context, and the rest of the chain. */
export interface WrapStreamOptions {
  request: ChatRequest;
  context: AdapterContext;
  /** The provider's name (`adapter.name`). */
  provider: string;
  /** Streams from the next middleware, or the adapter: call it (with a changed request, if you like), or don't (a cache). */
  next(request?: ChatRequest): AsyncIterable<AdapterDelta>;
}

/**
 * A layer around an adapter (`wrapAdapter`). `transformRequest` returns the request to send:
 * defaults, redaction, guardrails (throw a TokenwireError to refuse it). `wrapStream` observes or
 * rewrites the deltas, or answers without calling the provider. Request-only middleware keeps the
 * adapter's fast path (`open()`); `wrapStream` runs over `stream()`.
 */
export interface Middleware {
  /** Returns the request to send (it may be the same object); throw a TokenwireError to refuse it. */
  transformRequest?(request: ChatRequest, provider: string): ChatRequest | Promise<ChatRequest>;
  /** Yields the deltas of the stream: from `next()`, changed, or from elsewhere (a cache). */
  wrapStream?(options: WrapStreamOptions): AsyncIterable<AdapterDelta>;
}

/**
 * An adapter with middleware around it: the first middleware sees the request first and the
 * deltas last (it is the outermost). Without middleware the adapter is returned as it is.
 *
 * @example
 * const openai = wrapAdapter(createOpenAIAdapter(), { transformRequest: (request) => ({ temperature: 0, ...request }) });
 * createTokenwire({ providers: { openai } });
 */
export function wrapAdapter(adapter: Adapter, ...middleware: Middleware[]): Adapter {
  if (middleware.length === 0) return adapter;
  const transforms = middleware.flatMap((layer) =>
    layer.transformRequest === undefined ? [] : [layer.transformRequest.bind(layer)],
  );
  const wrappers = middleware.flatMap((layer) =>
    layer.wrapStream === undefined ? [] : [layer.wrapStream.bind(layer)],
  );
  const transform = async (request: ChatRequest): Promise<ChatRequest> => {
    let current = request;
    for (const apply of transforms) current = await apply(current, adapter.name);
    return current;
  };
  const wrapped: Adapter = {
    name: adapter.name,
    stream(request, context) {
      return streamThrough(adapter, transform(request), context, wrappers);
    },
  };
  if (adapter.normalizeError !== undefined) wrapped.normalizeError = adapter.normalizeError.bind(adapter);
  if (adapter.endpoint !== undefined) wrapped.endpoint = adapter.endpoint.bind(adapter);
  const open = adapter.open?.bind(adapter);
  if (open !== undefined && wrappers.length === 0) {
    wrapped.open = async (request: ChatRequest, context: AdapterContext): Promise<ChunkStream> =>
      open(await transform(request), context);
  }
  return wrapped;
}

type Wrapper = NonNullable<Middleware['wrapStream']>;

async function* streamThrough(
  adapter: Adapter,
  transformed: Promise<ChatRequest>,
  context: AdapterContext,
  wrappers: readonly Wrapper[],
): AsyncGenerator<AdapterDelta> {
  const request = await transformed;
  const layer = (index: number, current: ChatRequest): AsyncIterable<AdapterDelta> => {
    const wrapper = wrappers[index];
    if (wrapper === undefined) return adapter.stream(current, context);
    return wrapper({
      request: current,
      context,
      provider: adapter.name,
      next: (changed) => layer(index + 1, changed ?? current),
    });
  };
  yield* layer(0, request);
}
