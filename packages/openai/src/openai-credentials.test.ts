import { redactSecrets } from '@tokenwire/core';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { registerOpenAIClientSecrets } from './openai-credentials.js';

describe('registerOpenAIClientSecrets', () => {
  it.each([
    ['an object', (token: string) => ({ authorization: `Bearer ${token}`, 'x-trace-id': 'trace-visible-1' })],
    ['a Headers', (token: string) => new Headers({ Authorization: `Bearer ${token}` })],
    ['an array of pairs', (token: string) => [['Proxy-Authorization', `Bearer ${token}`]]],
  ])('registers the credential headers of defaultHeaders given as %s, and the key', (_shape, headersOf) => {
    const token = `header-token-${Math.random().toString(36).slice(2, 10)}`;
    const key = `client-key-${Math.random().toString(36).slice(2, 10)}`;
    const client = new OpenAI({
      apiKey: key,
      baseURL: 'http://127.0.0.1:1/v1',
      defaultHeaders: headersOf(token) as Record<string, string>,
    });
    registerOpenAIClientSecrets(client);
    expect(redactSecrets(`token ${token}, key ${key}, trace trace-visible-1`)).toBe(
      'token [redacted], key [redacted], trace trace-visible-1',
    );
  });
});
