import type { Adapter, AdapterContext, AdapterDelta, ChatRequest, ChunkStream } from '../model/types.js';
import { estimateRequestTokens } from '../request/request-tokens.js';
import { normalizeAdapterError } from '../runtime/normalize-error.js';
import { deltasFromChunkStream } from '../transport/chunk-stream.js';
import type { ProviderLimits } from './coordinator.js';
import { describeLimitWait } from './limit-waits.js';
import type { HeldSlot, SlotLimiter } from './slot-limiter.js';

/** Where a limited adapter takes its slots: its provider's name, limits, and API key's fingerprint. */
export interface LimitedProvider {
  provider: string;
  limiter: SlotLimiter;
  /** The limits of a model: `'provider/model'` in the client's `limits`, else `provider`'s. */
  limitsOf(model: string): ProviderLimits | undefined;
  /** A fingerprint of the adapter's API key (never the key): slots and cooldowns are per key. */
  keyFingerprint(): Promise<string>;
}

/**
 * An adapter that waits for a slot of the limiter before it sends (inside the attempt, so the wait
 * counts against `firstTokenMs` and is cancelled with the stream), gives it back however the
 * stream ends, and puts the API key in cooldown for every replica when the provider answers 429
 * with a `retry-after`.
 */
export function limitedAdapter(adapter: Adapter, limited: LimitedProvider): Adapter {
  const wrapped: Adapter = {
    name: adapter.name,
    stream: (request, context) => streamLimited(adapter, limited, request, context),
  };
  if (adapter.normalizeError !== undefined) wrapped.normalizeError = adapter.normalizeError.bind(adapter);
  if (adapter.endpoint !== undefined) wrapped.endpoint = adapter.endpoint.bind(adapter);
  const open = adapter.open?.bind(adapter);
  if (open !== undefined) {
    wrapped.open = (request, context) => openLimited(adapter, open, limited, request, context);
    wrapped.stream = (request, context) =>
      deltasFromChunkStream(() => openLimited(adapter, open, limited, request, context), context.signal);
  }
  return wrapped;
}

/** What a stream took before it sent: its slot, the limits it is under, the key its cooldowns are on. */
interface Taken {
  slot: HeldSlot;
  limits: ProviderLimits | undefined;
  cooldownKey: string;
}

/** Waits until the request's key is out of cooldown and its model has a slot, then takes it. */
async function take(limited: LimitedProvider, request: ChatRequest, context: AdapterContext): Promise<Taken> {
  const fingerprint = await limited.keyFingerprint();
  const limits = limited.limitsOf(request.model);
  const cooldownKey = `key:${limited.provider}:${fingerprint}`;
  const slotKey = `${limited.provider}:${request.model}:${fingerprint}`;
  const tokens = limits?.tokensPerMinute === undefined ? 0 : estimateRequestTokens(request);
  const { signal, onWait } = context;
  const slot = await limited.limiter.acquire(
    slotKey,
    cooldownKey,
    limits,
    tokens,
    signal,
    onWait && ((wait) => onWait(describeLimitWait(wait, limited.provider, request.model))),
  );
  onWait?.(undefined);
  return { slot, limits, cooldownKey };
}

/** A 429 with `retry-after` cools the key down for every replica, before the stream hears of it. */
async function coolDownOn(
  thrown: unknown,
  adapter: Adapter,
  limited: LimitedProvider,
  taken: Taken,
): Promise<void> {
  const error = normalizeAdapterError(thrown, limited.provider, adapter.normalizeError?.bind(adapter), true);
  if (error.code === 'rate_limit' && error.retryAfterMs !== undefined && error.retryAfterMs > 0)
    await limited.limiter.cooldown(taken.cooldownKey, error.retryAfterMs);
}

async function openLimited(
  adapter: Adapter,
  open: NonNullable<Adapter['open']>,
  limited: LimitedProvider,
  request: ChatRequest,
  context: AdapterContext,
): Promise<ChunkStream> {
  const taken = await take(limited, request, context);
  const { slot } = taken;
  let source: ChunkStream;
  try {
    source = await open(request, context);
  } catch (error) {
    slot.release(0);
    await coolDownOn(error, adapter, limited, taken);
    throw error;
  }
  const counted = taken.limits?.tokensPerMinute === undefined ? undefined : { outputTokens: 0 };
  const close = () => {
    slot.release(counted?.outputTokens ?? 0);
    source.close?.();
  };
  if (counted === undefined) {
    // Bound, not copied: a ChunkStream may be a class whose methods use `this`.
    const limitedSource: ChunkStream = {
      chunks: source.chunks,
      translate: source.translate.bind(source),
      close,
    };
    if (source.end !== undefined) limitedSource.end = source.end.bind(source);
    return limitedSource;
  }
  return {
    chunks: source.chunks,
    translate: (chunk, out) => {
      const from = out.length;
      const complete = source.translate(chunk, out);
      countOutput(out, from, counted);
      return complete;
    },
    end: (out) => {
      const from = out.length;
      source.end?.(out);
      countOutput(out, from, counted);
    },
    close,
  };
}

async function* streamLimited(
  adapter: Adapter,
  limited: LimitedProvider,
  request: ChatRequest,
  context: AdapterContext,
): AsyncGenerator<AdapterDelta> {
  const taken = await take(limited, request, context);
  const counted = { outputTokens: 0 };
  let started = false;
  try {
    for await (const delta of adapter.stream(request, context)) {
      started = true;
      if (delta.type === 'usage' && delta.usage.outputTokens !== undefined)
        counted.outputTokens = delta.usage.outputTokens;
      yield delta;
    }
  } catch (error) {
    if (!started) await coolDownOn(error, adapter, limited, taken);
    throw error;
  } finally {
    taken.slot.release(counted.outputTokens);
  }
}

function countOutput(out: AdapterDelta[], from: number, counted: { outputTokens: number }): void {
  for (let index = from; index < out.length; index++) {
    const delta = out[index] as AdapterDelta;
    if (delta.type === 'usage' && delta.usage.outputTokens !== undefined)
      counted.outputTokens = delta.usage.outputTokens;
  }
}
