/**
 * A model's prices in USD per million tokens. `cachedInput` (cache reads), `cacheWrite` and
 * `reasoning` default to `input`, `input` and `output`.
 */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** What a stream cost, in USD, by kind of token; `total` is their sum. */
export interface Cost {
  /** Input tokens that were neither cache reads nor cache writes. */
  input: number;
  cachedInput: number;
  cacheWrite: number;
  /** Output tokens other than reasoning. */
  output: number;
  reasoning: number;
  total: number;
  currency: 'USD';
}

/** Which price applies: the provider and model that answered, at the time of the request. */
export interface PriceQuery {
  provider: string;
  model: string;
  at: Date;
}

/**
 * Where prices come from: a function (`fromGenaiPrices(...)` over `@pydantic/genai-prices`, or your
 * own), or a table keyed `'provider/model'` (or a bare model id) with prices per million tokens.
 * No price for a model: no cost, and one `unknown_price` warning.
 */
export type PriceSource = ((query: PriceQuery) => ModelPrice | undefined) | Record<string, ModelPrice>;
