import type { Cost, ModelPrice, PriceQuery, PriceSource } from '../model/cost-types.js';
import type { Usage } from '../model/types.js';
import { isPlainObject } from '../request/request-problem.js';

const PRICE_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite', 'reasoning'] as const;
const REQUIRED_FIELDS: ReadonlySet<string> = new Set(['input', 'output']);

/**
 * What `usage` cost at `price` (USD per million tokens). Input tokens that are neither cache reads
 * nor cache writes are priced at `input`, cache reads at `cachedInput` (default `input`), cache
 * writes at `cacheWrite` (default `input`), reasoning at `reasoning` (default `output`), the rest
 * of the output at `output`.
 *
 * Each part is summed in micro-USD (tokens × price per million) and divided once, then rounded to
 * 1e-12 USD, so 1,000 tokens at 0.4 cost 0.0004 and not 0.00040000000000000002. Exact up to about
 * $9,000 per stream, where 1e-12 USD steps no longer fit a double.
 */
export function costOf(usage: Usage, price: ModelPrice): Cost {
  const cachedTokens = usage.cachedInputTokens ?? 0;
  const writeTokens = usage.cacheWriteTokens ?? 0;
  const reasoningTokens = usage.reasoningTokens ?? 0;
  const micro = {
    input: Math.max(0, usage.inputTokens - cachedTokens - writeTokens) * price.input,
    cachedInput: cachedTokens * (price.cachedInput ?? price.input),
    cacheWrite: writeTokens * (price.cacheWrite ?? price.input),
    output: Math.max(0, usage.outputTokens - reasoningTokens) * price.output,
    reasoning: reasoningTokens * (price.reasoning ?? price.output),
  };
  const total = micro.input + micro.cachedInput + micro.cacheWrite + micro.output + micro.reasoning;
  return {
    input: toUsd(micro.input),
    cachedInput: toUsd(micro.cachedInput),
    cacheWrite: toUsd(micro.cacheWrite),
    output: toUsd(micro.output),
    reasoning: toUsd(micro.reasoning),
    total: toUsd(total),
    currency: 'USD',
  };
}

/**
 * The price of `query.model` from `source`, or undefined when it has none. A table is looked up
 * by `'provider/model'`, then by the bare model id; a function is called with the query, and a
 * throw or a malformed answer (input or output not a finite number ≥ 0) counts as no price.
 */
export function resolvePrice(source: PriceSource, query: PriceQuery): ModelPrice | undefined {
  if (typeof source === 'function') {
    try {
      return validPrice(source(query));
    } catch {
      return undefined;
    }
  }
  const fullKey = `${query.provider}/${query.model}`;
  if (Object.hasOwn(source, fullKey)) return validPrice(source[fullKey]);
  return Object.hasOwn(source, query.model) ? validPrice(source[query.model]) : undefined;
}

/**
 * For configuration: undefined when `source` is a price function or a table of valid prices,
 * else what is wrong, e.g. `prices['openai/gpt-4.1'].input must be a number of USD per million tokens ≥ 0`.
 */
export function pricesProblem(source: unknown): string | undefined {
  if (typeof source === 'function') return undefined;
  if (!isPlainObject(source))
    return 'prices must be a function or a table of { input, output } prices per million tokens';
  for (const [key, price] of Object.entries(source)) {
    const path = `prices['${key.replace(/['\\]/g, '\\$&')}']`;
    if (!isPlainObject(price))
      return `${path} must be { input, output, cachedInput?, cacheWrite?, reasoning? } in USD per million tokens`;
    for (const field of Object.keys(price)) {
      if (!(PRICE_FIELDS as readonly string[]).includes(field))
        return `${path} has an unknown field '${field}' (known: ${PRICE_FIELDS.join(', ')})`;
    }
    for (const field of PRICE_FIELDS) {
      const value = price[field];
      if (value === undefined && !REQUIRED_FIELDS.has(field)) continue;
      if (!isUsdPerMillion(value)) return `${path}.${field} must be a number of USD per million tokens ≥ 0`;
    }
  }
  return undefined;
}

/** The part of `@pydantic/genai-prices` that `fromGenaiPrices` uses. */
export interface GenaiPricesModule {
  calcPrice(
    usage: Record<string, number | undefined>,
    modelId: string,
    options?: { providerId?: string; timestamp?: Date },
  ): { model_price: Record<string, unknown> } | null;
}

/**
 * A price function over `@pydantic/genai-prices`, which you install and pass in
 * (`fromGenaiPrices(await import('@pydantic/genai-prices'))`); core does not depend on it. Prices
 * are those in force at `query.at` (the package keeps dated prices); Ollama models are never priced.
 * A model it does not know, under the provider that answered, has no price.
 */
export function fromGenaiPrices(
  genaiPrices: GenaiPricesModule,
): (query: PriceQuery) => ModelPrice | undefined {
  return (query) => {
    // Local models cost nothing per token, which is not a price; other names are genai-prices ids
    // ('openai', 'anthropic', 'google'; it also reads 'gemini' as 'google').
    if (query.provider === 'ollama') return undefined;
    // Usage {} prices nothing: the call only matches the model and picks its prices at `timestamp`.
    const match = genaiPrices.calcPrice({}, query.model, {
      providerId: query.provider,
      timestamp: query.at,
    });
    if (match === null) return undefined;
    const prices = match.model_price;
    // `_mtok` keys are USD per million tokens, as ours. `cache_write_mtok` is Anthropic's 5-minute
    // write (`cache_write_1h_mtok` is not told apart in Usage); reasoning has no key: it bills as output.
    return validPrice({
      input: basePrice(prices.input_mtok),
      output: basePrice(prices.output_mtok),
      cachedInput: basePrice(prices.cache_read_mtok),
      cacheWrite: basePrice(prices.cache_write_mtok),
    });
  };
}

/**
 * A genai-prices price is a number or `{ base, tiers }`, tiers priced by the request's input
 * tokens (e.g. Gemini above 200k). A PriceQuery has no token counts, so the base tier is taken.
 */
function basePrice(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return isPlainObject(value) && typeof value.base === 'number' ? value.base : undefined;
}

/** `price` with only the known fields, when every present field is a finite number ≥ 0. */
function validPrice(price: unknown): ModelPrice | undefined {
  if (!isPlainObject(price) || !isUsdPerMillion(price.input) || !isUsdPerMillion(price.output))
    return undefined;
  const valid: ModelPrice = { input: price.input, output: price.output };
  for (const field of ['cachedInput', 'cacheWrite', 'reasoning'] as const) {
    const value = price[field];
    if (value === undefined) continue;
    if (!isUsdPerMillion(value)) return undefined;
    valid[field] = value;
  }
  return valid;
}

function isUsdPerMillion(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Micro-USD to USD, rounded to 1e-12 USD. */
function toUsd(microUsd: number): number {
  return Math.round(microUsd * 1e6) / 1e12;
}
