import { describe, expect, it } from 'vitest';
import type { Adapter, ChatRequest } from '../model/types.js';
import { createTokenwire } from './create-tokenwire.js';
import { scriptedAdapter } from './scripted-adapter.test-helpers.js';

const messages = [{ role: 'user' as const, content: 'What is the weather in Paris today?' }];

describe('tokenwire.countTokens', () => {
  it('estimates, flagged not exact, for an adapter without a count', async () => {
    const tokenwire = createTokenwire({ providers: { mock: scriptedAdapter([]) } });
    expect(await tokenwire.countTokens({ model: 'mock/m', messages })).toEqual({
      inputTokens: 9,
      exact: false,
      source: 'estimate',
    });
  });

  it("returns the adapter's own count, given the model id and the tools as JSON Schema", async () => {
    const seen: ChatRequest[] = [];
    const adapter: Adapter = {
      ...scriptedAdapter([]),
      async countTokens(request) {
        seen.push(request);
        return { inputTokens: 14, exact: true, source: 'provider' };
      },
    };
    const tokenwire = createTokenwire({ providers: { mock: adapter } });
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }];
    expect(await tokenwire.countTokens({ model: 'mock/m-1', messages, tools })).toEqual({
      inputTokens: 14,
      exact: true,
      source: 'provider',
    });
    expect(seen.map((request) => [request.model, request.tools?.[0]?.name])).toEqual([
      ['m-1', 'get_weather'],
    ]);
  });

  it('rejects an invalid request before counting, naming the field', async () => {
    const tokenwire = createTokenwire({ providers: { mock: scriptedAdapter([]) } });
    await expect(tokenwire.countTokens({ model: 'mock/m', messages: [] })).rejects.toThrow(
      /messages must not be empty/,
    );
  });

  it('counts an image as about 1,600 tokens in the estimate', async () => {
    const tokenwire = createTokenwire({ providers: { mock: scriptedAdapter([]) } });
    const count = await tokenwire.countTokens({
      model: 'mock/m',
      messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }],
    });
    expect(count).toEqual({ inputTokens: 1600, exact: false, source: 'estimate' });
  });
});
