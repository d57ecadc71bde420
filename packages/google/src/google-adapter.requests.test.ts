import { createTokenwire, type ErrorEvent, type StreamRequest } from '@tokenwire/core';
import { collect, createReplayServer, geminiScenarios, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAdapter } from './google-adapter.js';

const TEXT = geminiScenarios.text.payloads;
const hi = { role: 'user' as const, content: 'Hi' };
const tool = (name: string, parameters: Record<string, unknown>) => ({ name, parameters });

let server: ReplayServer;
/** The `contents` of the first request the replay server recorded. */
const sentContents = () => (server.requests[0]?.body as { contents?: unknown[] } | undefined)?.contents;
beforeEach(async () => {
  server = await createReplayServer();
});
afterEach(async () => {
  await server.close();
});

describe.each(['genai', 'generative-ai'] as const)('what Gemini cannot take, through the %s SDK', (sdk) => {
  function stream(request: Partial<StreamRequest>) {
    const adapter = createGoogleAdapter({ apiKey: 'key', baseURL: server.url, sdk, provider: 'gemini' });
    return createTokenwire({ providers: { gemini: adapter }, retries: 0 }).stream({
      model: 'gemini/gemini-2.5-flash',
      messages: [hi],
      ...request,
    });
  }

  it.each([
    {
      limit: 'a conversation of system messages only',
      request: { messages: [{ role: 'system' as const, content: 'Be brief.' }] },
      says: 'messages must hold a user, assistant or tool message besides the system messages',
    },
    {
      limit: 'an empty user text',
      request: {
        messages: [
          hi,
          { role: 'assistant' as const, content: 'Hello!' },
          { role: 'user' as const, content: [{ type: 'text' as const, text: '' }] },
        ],
      },
      says: 'messages[2].content[0].text must not be empty for Gemini',
    },
    {
      limit: 'more than 5 stop sequences',
      request: { stop: ['a', 'b', 'c', 'd', 'e', 'f'] },
      says: 'stop may hold at most 5 sequences for Gemini; got a list of 6',
    },
    {
      limit: 'a seed beyond an int32',
      request: { seed: 2 ** 32 },
      says: 'seed must be from -2147483648 to 2147483647 for Gemini (an int32); got 4294967296',
    },
    {
      limit: 'a function name that starts with a digit',
      request: { tools: [tool('lookup', { type: 'object' }), tool('3d_render', { type: 'object' })] },
      says: 'tools[1].name must start with a letter or an underscore for Gemini; got "3d_render"',
    },
    {
      limit: 'a schema keyword outside Gemini’s subset',
      request: {
        tools: [
          tool('tag', { type: 'object', properties: { tags: { type: 'array', not: { maxItems: 0 } } } }),
        ],
      },
      says: "tools[0].parameters.properties.tags.not cannot be expressed in Gemini's schema",
    },
    {
      limit: 'tool parameters that are not one object schema',
      request: {
        tools: [tool('either', { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] })],
      },
      says: 'tools[0].parameters must be one object schema for Gemini',
    },
    {
      limit: 'a recursive response schema',
      request: {
        responseFormat: {
          type: 'json_schema' as const,
          schema: { type: 'object', properties: { next: { $ref: '#' } } },
        },
      },
      // Found where the reference, once inlined, refers to itself again.
      says: "responseFormat.schema.properties.next.properties.next.$ref is recursive, which Gemini's schema cannot express",
    },
    {
      limit: 'an image URL of unknown media type',
      request: {
        messages: [{ role: 'user' as const, content: [{ type: 'image' as const, url: 'gs://b/cat' }] }],
      },
      says: "messages[0].content[0].mediaType is required for an image URL without a known extension (png, jpg, jpeg, gif, webp, heic, heif): Gemini's fileData needs a mimeType",
    },
  ])('refuses $limit before sending: invalid_request naming the path', async ({ request, says }) => {
    const events = await collect(stream(request));
    expect(events.map((event) => event.type)).toEqual(['error']);
    const { code, retryable, provider, message } = (events[0] as ErrorEvent).error;
    expect({ code, retryable, provider, says: message.includes(says) }).toEqual({
      code: 'invalid_request',
      retryable: false,
      provider: 'gemini',
      says: true,
    });
    expect(server.requests).toEqual([]);
  });

  it('sends a history tool call with malformed arguments as {}', async () => {
    server.enqueue({ payloads: TEXT });
    await collect(
      stream({
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Par' }],
          },
          { role: 'tool', toolCallId: 'call_1', content: '18°C' },
        ],
        tools: [tool('get_weather', { type: 'object', properties: { city: { type: 'string' } } })],
      }),
    );
    expect(sentContents()?.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: {} } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { output: '18°C' } } }],
      },
    ]);
  });

  it('sends an image URL with a known extension, or its mediaType, as fileData', async () => {
    server.enqueue({ payloads: TEXT });
    const content = [
      { type: 'image' as const, url: 'https://example.com/cat.webp' },
      { type: 'image' as const, url: 'gs://bucket/scan', mediaType: 'image/png' },
    ];
    await collect(stream({ messages: [{ role: 'user', content }] }));
    expect(sentContents()).toEqual([
      {
        role: 'user',
        parts: [
          { fileData: { fileUri: 'https://example.com/cat.webp', mimeType: 'image/webp' } },
          { fileData: { fileUri: 'gs://bucket/scan', mimeType: 'image/png' } },
        ],
      },
    ]);
  });

  it('ends stream() quietly when the caller aborts its own signal mid-stream, and closes the connection', async () => {
    server.enqueue({ payloads: TEXT, stallAfter: 2 });
    const adapter = createGoogleAdapter({ apiKey: 'key', baseURL: server.url, sdk });
    const controller = new AbortController();
    const types = new Set<string>();
    let thrown: unknown;
    try {
      for await (const delta of adapter.stream(
        { model: 'gemini-2.5-flash', messages: [hi] },
        { signal: controller.signal },
      )) {
        types.add(delta.type);
        if (delta.type === 'text') controller.abort();
      }
    } catch (error) {
      thrown = error;
    }
    await server.waitForClientClose();
    // Chunks that arrived before the abort may still be read; then the stream ends, without a finish.
    expect([[...types], thrown]).toEqual([['start', 'text'], undefined]);
  });
});
