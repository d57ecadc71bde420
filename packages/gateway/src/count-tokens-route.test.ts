import { type Adapter, type ChatRequest, createTokenwire, type TokenCount } from '@tokenwire/core';
import { describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.js';

/** An adapter with a count API of its own: it answers 42 and records what it was asked to count. */
function countingAdapter(counted: ChatRequest[]): Adapter {
  return {
    name: 'counting',
    stream: () => {
      throw new Error('count_tokens must not stream');
    },
    countTokens: async (request): Promise<TokenCount> => {
      counted.push(request);
      return { inputTokens: 42, exact: true, source: 'provider' };
    },
  };
}

const countTokens = (gateway: ReturnType<typeof createGateway>, body: unknown) =>
  gateway.fetch(
    new Request('http://gateway.test/v1/messages/count_tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    }),
  );

describe('POST /v1/messages/count_tokens', () => {
  it("answers the provider's own count for the model's first provider, and says so in a header", async () => {
    const counted: ChatRequest[] = [];
    const gateway = createGateway({
      tokenwire: createTokenwire({ providers: { counting: countingAdapter(counted) } }),
      models: { claude: ['counting/model-a', 'counting/model-b'] },
    });
    const response = await countTokens(gateway, {
      model: 'claude',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'How many tokens is this?' }],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ input_tokens: 42 });
    expect(response.headers.get('x-tokenwire-token-count')).toBe('provider');
    expect(counted.map((request) => request.model)).toEqual(['model-a']);
    expect(counted[0]?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'How many tokens is this?' },
    ]);
  });

  it('refuses an unknown model in the Messages error shape, counting nothing', async () => {
    const counted: ChatRequest[] = [];
    const gateway = createGateway({
      tokenwire: createTokenwire({ providers: { counting: countingAdapter(counted) } }),
      models: { claude: 'counting/model-a' },
    });
    const response = await countTokens(gateway, {
      model: 'claud',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(counted).toEqual([]);
  });
});
