import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../model/redact.js';
import {
  imageSourceOf,
  loadApiKey,
  parseDataUrl,
  toolCallArguments,
  toolCallInput,
  toolNamesById,
} from './request-helpers.js';

describe('image parts', () => {
  it('parses a base64 data: URL into its media type and data', () => {
    expect(parseDataUrl('data:image/png;base64,iVBOR')).toEqual({ mediaType: 'image/png', data: 'iVBOR' });
    expect(parseDataUrl('data:image/png,raw')).toBeUndefined();
    expect(parseDataUrl('https://example.com/a.png')).toBeUndefined();
  });

  it('resolves every image form to a URL or to base64 with its type', () => {
    expect(imageSourceOf({ type: 'image', url: 'https://example.com/a.png' })).toEqual({
      kind: 'url',
      url: 'https://example.com/a.png',
    });
    expect(imageSourceOf({ type: 'image', url: 'data:image/jpeg;base64,/9j/' })).toEqual({
      kind: 'base64',
      data: '/9j/',
      mediaType: 'image/jpeg',
    });
    expect(imageSourceOf({ type: 'image', data: 'R0lG', mediaType: 'image/gif' })).toEqual({
      kind: 'base64',
      data: 'R0lG',
      mediaType: 'image/gif',
    });
  });
});

describe('history tool calls: one behaviour on every provider', () => {
  const call = (argumentsText: string, input?: unknown) => ({
    id: 'c1',
    name: 'f',
    arguments: argumentsText,
    input,
  });

  it('takes the input of a call as an object, {} when its arguments are not a JSON object', () => {
    expect(toolCallInput(call('{"city":"Paris"}'))).toEqual({ city: 'Paris' });
    expect(toolCallInput(call('x', { city: 'Rome' }))).toEqual({ city: 'Rome' });
    for (const broken of ['{"city": "Par', '[1,2]', '"text"', '', 'null'])
      expect(toolCallInput(call(broken))).toEqual({});
  });

  it('keeps the text of valid object arguments and sends {} for the rest', () => {
    expect(toolCallArguments(call(' {"city": "Paris"} '))).toBe(' {"city": "Paris"} ');
    expect(toolCallArguments(call('{"city": "Par'))).toBe('{}');
    expect(toolCallArguments(call('[1]'))).toBe('{}');
    expect(toolCallArguments(call('oops', { city: 'Rome' }))).toBe('{"city":"Rome"}');
  });

  it('finds the function name of the call a tool result answers', () => {
    const names = toolNamesById([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', toolCalls: [call('{}')] },
    ]);
    expect(names.get('c1')).toBe('f');
  });
});

describe('loadApiKey', () => {
  const source = { environmentVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], provider: 'google' };

  it('prefers the configured key, then the variables in order, and registers it as a secret', () => {
    expect(loadApiKey({ ...source, apiKey: 'configured-key-1', environment: { GEMINI_API_KEY: 'x' } })).toBe(
      'configured-key-1',
    );
    const key = loadApiKey({
      ...source,
      apiKey: undefined,
      environment: { GOOGLE_API_KEY: 'google-key-98765' },
    });
    expect(key).toBe('google-key-98765');
    expect(redactSecrets('sent google-key-98765')).toBe('sent [redacted]');
  });

  it('names every variable to set when there is no key', () => {
    expect(() => loadApiKey({ ...source, apiKey: undefined, environment: {} })).toThrow(
      "No API key for provider 'google': set the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable, or pass apiKey in the 'google' provider settings.",
    );
  });

  it('refuses a key that is not a string', () => {
    expect(() => loadApiKey({ ...source, apiKey: 42, environment: {} })).toThrow(/must be a string/);
  });
});
