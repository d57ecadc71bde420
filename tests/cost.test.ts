import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { type Adapter, createTokenwire, type PriceSource } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
import {
  anthropicScenarios,
  createReplayServer,
  openaiChatScenarios,
  type ReplayServer,
} from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// finish.cost through the real vendor SDKs: each provider's usage (cache reads and writes,
// reasoning) normalized by its adapter, then priced by core.
let server: ReplayServer;
beforeEach(async () => {
  server = await createReplayServer();
});
afterEach(async () => {
  await server.close();
});

async function costOf(provider: string, adapter: Adapter, payloads: unknown[], prices: PriceSource) {
  server.enqueue({ payloads });
  const tokenwire = createTokenwire({ providers: { [provider]: adapter }, prices });
  return (
    await tokenwire
      .stream({ model: `${provider}/test-model`, messages: [{ role: 'user', content: 'Hi' }] })
      .result()
  ).cost;
}

describe('finish.cost on real streams', () => {
  it('prices OpenAI usage with cached input and reasoning tokens', async () => {
    // 100 input of which 40 cached, 20 output of which 8 reasoning (the scenario's usage chunk)
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test', baseURL: `${server.url}/v1` });
    const cost = await costOf('openai', adapter, openaiChatScenarios.usage.payloads, {
      'openai/test-model': { input: 2, cachedInput: 0.5, output: 8 },
    });
    expect(cost).toEqual({
      input: 0.00012, // 60 × $2 / 1M
      cachedInput: 0.00002, // 40 × $0.5 / 1M
      cacheWrite: 0,
      output: 0.000096, // 12 × $8 / 1M
      reasoning: 0.000064, // 8 × $8 / 1M (no reasoning price: the output price)
      total: 0.0003,
      currency: 'USD',
    });
  });

  it('prices Anthropic usage with cache reads and cache writes', async () => {
    // 50 uncached, 30 cache reads, 20 cache writes, 25 output
    const adapter = createAnthropicAdapter({ apiKey: 'sk-ant-test', baseURL: server.url });
    const cost = await costOf('anthropic', adapter, anthropicScenarios.usage.payloads, {
      'test-model': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
    });
    expect(cost).toEqual({
      input: 0.00015,
      cachedInput: 0.000009,
      cacheWrite: 0.000075,
      output: 0.000375,
      reasoning: 0,
      total: 0.000609,
      currency: 'USD',
    });
  });
});
