import * as genaiPrices from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import type { ModelPrice, PriceQuery } from '../model/cost-types.js';
import type { Usage } from '../model/types.js';
import { costOf, fromGenaiPrices, pricesProblem, resolvePrice } from './cost.js';

const GPT_41_MINI: ModelPrice = { input: 0.4, cachedInput: 0.1, output: 1.6 };
const CLAUDE_SONNET: ModelPrice = { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 };
const NOW = new Date('2026-12-01T12:00:00Z');

const usage = (counts: Partial<Usage>): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  estimated: false,
  ...counts,
});
const query = (provider: string, model: string, at = NOW): PriceQuery => ({ provider, model, at });

describe('costOf', () => {
  it('prices OpenAI-style cached input and reasoning tokens apart from the rest', () => {
    const openaiUsage = usage({
      inputTokens: 10_000,
      cachedInputTokens: 4_000,
      outputTokens: 2_000,
      reasoningTokens: 500,
    });
    expect(costOf(openaiUsage, GPT_41_MINI)).toEqual({
      input: 0.0024,
      cachedInput: 0.0004,
      cacheWrite: 0,
      output: 0.0024,
      reasoning: 0.0008,
      total: 0.006,
      currency: 'USD',
    });
  });

  it('prices Anthropic-style cache reads and cache writes at their own rates', () => {
    const anthropicUsage = usage({
      inputTokens: 12_000,
      cachedInputTokens: 8_000,
      cacheWriteTokens: 3_000,
      outputTokens: 500,
    });
    expect(costOf(anthropicUsage, CLAUDE_SONNET)).toEqual({
      input: 0.003,
      cachedInput: 0.0024,
      cacheWrite: 0.01125,
      output: 0.0075,
      reasoning: 0,
      total: 0.02415,
      currency: 'USD',
    });
  });

  it('prices cache reads and writes at input and reasoning at output when the price has no rate for them', () => {
    const cost = costOf(
      usage({
        inputTokens: 600,
        cachedInputTokens: 100,
        cacheWriteTokens: 200,
        outputTokens: 50,
        reasoningTokens: 20,
      }),
      { input: 1, output: 2 },
    );
    expect(cost).toMatchObject({
      input: 0.0003,
      cachedInput: 0.0001,
      cacheWrite: 0.0002,
      output: 0.00006,
      reasoning: 0.00004,
    });
    expect(cost.total).toBe(0.0007);
  });

  it('never counts uncached input or non-reasoning output below zero', () => {
    const cost = costOf(
      usage({ inputTokens: 5, cachedInputTokens: 10, outputTokens: 3, reasoningTokens: 4 }),
      GPT_41_MINI,
    );
    expect(cost).toMatchObject({ input: 0, output: 0, cachedInput: 0.000001, reasoning: 0.0000064 });
  });

  it('rounds away float noise', () => {
    expect(costOf(usage({ inputTokens: 3 }), { input: 0.1, output: 0 }).total).toBe(3e-7);
  });
});

describe('resolvePrice', () => {
  const table = {
    'openai/gpt-4.1-mini': GPT_41_MINI,
    'gpt-4.1-mini': { input: 9, output: 9 },
    'claude-sonnet-4-5': CLAUDE_SONNET,
  };

  it("looks a table up by 'provider/model' first, then by the bare model", () => {
    expect(resolvePrice(table, query('openai', 'gpt-4.1-mini'))).toEqual(GPT_41_MINI);
    expect(resolvePrice(table, query('azure', 'gpt-4.1-mini'))).toEqual({ input: 9, output: 9 });
    expect(resolvePrice(table, query('anthropic', 'claude-sonnet-4-5'))).toEqual(CLAUDE_SONNET);
  });

  it('gives no price for a model the table does not have, nor for inherited keys', () => {
    expect(resolvePrice(table, query('openai', 'gpt-9'))).toBeUndefined();
    expect(resolvePrice(table, query('openai', 'constructor'))).toBeUndefined();
  });

  it('calls a function with the query and keeps only the price fields', () => {
    const queries: PriceQuery[] = [];
    const source = (priceQuery: PriceQuery) => {
      queries.push(priceQuery);
      return { input: 1, output: 2, note: 'ignored' } as ModelPrice;
    };
    expect(resolvePrice(source, query('openai', 'gpt-4o'))).toEqual({ input: 1, output: 2 });
    expect(queries).toEqual([query('openai', 'gpt-4o')]);
  });

  it('gives no price when the function throws or answers a malformed price', () => {
    const throwing = () => {
      throw new Error('price service down');
    };
    expect(resolvePrice(throwing, query('openai', 'gpt-4o'))).toBeUndefined();
    expect(resolvePrice(() => ({ input: Number.NaN, output: 1 }), query('openai', 'gpt-4o'))).toBeUndefined();
    expect(resolvePrice(() => ({ input: 1, output: -1 }), query('openai', 'gpt-4o'))).toBeUndefined();
    expect(
      resolvePrice(() => ({ input: 1, output: 1, cachedInput: Infinity }), query('openai', 'gpt-4o')),
    ).toBeUndefined();
    expect(resolvePrice(() => undefined, query('openai', 'gpt-4o'))).toBeUndefined();
  });
});

describe('pricesProblem', () => {
  it('accepts a function and a table of valid prices', () => {
    expect(pricesProblem(() => undefined)).toBeUndefined();
    expect(
      pricesProblem({ 'openai/gpt-4.1-mini': GPT_41_MINI, 'claude-sonnet-4-5': CLAUDE_SONNET }),
    ).toBeUndefined();
  });

  it('says what is wrong with a bad table', () => {
    expect(pricesProblem('gpt-4o')).toBe(
      'prices must be a function or a table of { input, output } prices per million tokens',
    );
    expect(pricesProblem([GPT_41_MINI])).toBe(
      'prices must be a function or a table of { input, output } prices per million tokens',
    );
    expect(pricesProblem({ 'openai/gpt-4.1': { input: '2', output: 8 } })).toBe(
      "prices['openai/gpt-4.1'].input must be a number of USD per million tokens ≥ 0",
    );
    expect(pricesProblem({ 'gpt-4.1': { input: 2 } })).toBe(
      "prices['gpt-4.1'].output must be a number of USD per million tokens ≥ 0",
    );
    expect(pricesProblem({ 'gpt-4.1': { input: 2, output: 8, cacheWrite: -1 } })).toBe(
      "prices['gpt-4.1'].cacheWrite must be a number of USD per million tokens ≥ 0",
    );
    expect(pricesProblem({ 'gpt-4.1': { input: 2, output: 8, cachedinput: 0.5 } })).toBe(
      "prices['gpt-4.1'] has an unknown field 'cachedinput' (known: input, output, cachedInput, cacheWrite, reasoning)",
    );
    expect(pricesProblem({ 'gpt-4.1': 2 })).toBe(
      "prices['gpt-4.1'] must be { input, output, cachedInput?, cacheWrite?, reasoning? } in USD per million tokens",
    );
  });
});

describe('fromGenaiPrices, over the real @pydantic/genai-prices', () => {
  const prices = fromGenaiPrices(genaiPrices);

  /** The package's own cost of 1,000 tokens of one kind, per million tokens (1,000 is below every tier). */
  function packagePrice(provider: string, model: string, usageKey: string, at = NOW): number {
    const result = genaiPrices.calcPrice({ input_tokens: 0, [usageKey]: 1000 }, model, {
      providerId: provider,
      timestamp: at,
    });
    if (result === null) throw new Error(`genai-prices has no ${provider}/${model}`);
    const inputSide = usageKey === 'output_tokens' ? result.output_price : result.input_price;
    return inputSide * 1000;
  }

  it('gives gpt-4o the input, cached input and output prices the package computes', () => {
    const price = prices(query('openai', 'gpt-4o'));
    expect(price?.input).toBeCloseTo(packagePrice('openai', 'gpt-4o', 'input_tokens'), 10);
    expect(price?.output).toBeCloseTo(packagePrice('openai', 'gpt-4o', 'output_tokens'), 10);
    expect(price!.input).toBeGreaterThan(0);
    expect(price!.output).toBeGreaterThan(price!.input);
    expect(price?.cachedInput).toBeLessThan(price!.input);
  });

  it('costs Anthropic cache reads and writes as the package does', () => {
    const price = prices(query('anthropic', 'claude-sonnet-4-20250514'));
    expect(price?.cacheWrite).toBeGreaterThan(price!.input);
    const counts = {
      input_tokens: 12_000,
      cache_read_tokens: 8_000,
      cache_write_tokens: 3_000,
      output_tokens: 500,
    };
    const expected = genaiPrices.calcPrice(counts, 'claude-sonnet-4-20250514', {
      providerId: 'anthropic',
      timestamp: NOW,
    });
    const anthropicUsage = usage({
      inputTokens: 12_000,
      cachedInputTokens: 8_000,
      cacheWriteTokens: 3_000,
      outputTokens: 500,
    });
    expect(costOf(anthropicUsage, price!).total).toBeCloseTo(expected!.total_price, 12);
  });

  it('takes the price in force at the time of the request', () => {
    const before = prices(query('openai', 'o3', new Date('2025-01-01T00:00:00Z')));
    const after = prices(query('openai', 'o3', new Date('2025-07-01T00:00:00Z')));
    expect(before?.input).toBeCloseTo(
      packagePrice('openai', 'o3', 'input_tokens', new Date('2025-01-01T00:00:00Z')),
      10,
    );
    expect(after?.input).toBeCloseTo(
      packagePrice('openai', 'o3', 'input_tokens', new Date('2025-07-01T00:00:00Z')),
      10,
    );
    expect(before?.input).not.toBe(after?.input);
  });

  it("takes the base tier of Google's tiered prices", () => {
    const price = prices(query('google', 'gemini-2.5-pro'));
    expect(price?.input).toBeCloseTo(packagePrice('google', 'gemini-2.5-pro', 'input_tokens'), 10);
    expect(price?.output).toBeCloseTo(packagePrice('google', 'gemini-2.5-pro', 'output_tokens'), 10);
  });

  it('gives no price for a made-up model, an unknown provider or a local Ollama model', () => {
    expect(prices(query('openai', 'gpt-made-up-4242'))).toBeUndefined();
    expect(prices(query('no-such-provider', 'gpt-4o'))).toBeUndefined();
    expect(prices(query('ollama', 'llama3.2'))).toBeUndefined();
  });
});
