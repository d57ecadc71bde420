import { describe, expect, it } from 'vitest';
import type { TokenwireError } from '../model/errors.js';
import type { ErrorEvent, Message, Tool } from '../model/types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents, scriptedAdapter } from '../runtime/scripted-adapter.test-helpers.js';
import { closestName } from './did-you-mean.js';
import { findRequestProblem } from './validate-request.js';
import { checkSettings } from './validate-settings.js';

const finishing = () =>
  scriptedAdapter([
    { type: 'text', delta: 'ok' },
    { type: 'finish', reason: 'stop' },
  ]);

async function onlyError(events: Promise<unknown[]>): Promise<TokenwireError> {
  const all = (await events) as Array<{ type: string }>;
  expect(all.map((event) => event.type)).toEqual(['error']);
  return (all[0] as ErrorEvent).error;
}

// The full shape of a valid request: validation must accept every field of it.
const tools: Tool[] = [
  {
    name: 'get_weather',
    description: 'Weather.',
    parameters: { type: 'object', properties: {} },
    strict: true,
  },
  { name: 'get-time_2' },
];
const conversation: Message[] = [
  { role: 'system', content: 'Be brief.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Weather here?' },
      { type: 'image', url: 'https://example.com/a.png' },
      { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
      { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
    ],
  },
  {
    role: 'assistant',
    content: null,
    reasoning: [
      { text: 'Look it up.', signature: 'sig' },
      { text: '', redactedData: 'opaque' },
    ],
    toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{}' }],
  },
  { role: 'tool', toolCallId: 'call_1', content: '{"t":21}', isError: false, name: 'get_weather' },
  { role: 'assistant', content: 'It is 21 °C.' },
];

describe('request validation', () => {
  it('accepts a request that uses every field', () => {
    expect(
      findRequestProblem({
        model: 'openai/gpt-4.1',
        messages: conversation,
        tools,
        toolChoice: { name: 'get_weather' },
        temperature: 0,
        topP: 1,
        maxTokens: 1,
        seed: -7,
        stop: ['END'],
        responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
        reasoning: { effort: 'minimal', budgetTokens: 0, includeThoughts: true },
        headers: { 'x-trace': '1' },
        providerOptions: { openai: { user: 'u1' } },
        signal: new AbortController().signal,
        timeouts: { firstTokenMs: 1, idleMs: 2, totalMs: 3 },
      }),
    ).toBeUndefined();
  });

  it('never opens the adapter for an invalid request: its one error event says what to fix', async () => {
    const adapter = finishing();
    const tokenwire = createTokenwire({ providers: { mock: adapter } });
    const error = await onlyError(
      collectEvents(
        tokenwire.stream({ model: 'mock/m', messages: [{ role: 'bogus' } as unknown as Message] }),
      ),
    );
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(error.message).toBe(
      'Invalid request: messages[0].role must be one of system, user, assistant, tool; got "bogus". Nothing was sent.',
    );
    expect(adapter.calls).toBe(0);
  });

  it('does not read a malformed request to estimate its usage', async () => {
    const tokenwire = createTokenwire({ providers: { mock: finishing() } });
    const stream = tokenwire.stream({ model: 'mock/m', messages: 'oops' as unknown as Message[] });
    const events = await collectEvents(stream);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'error',
        partial: expect.objectContaining({ content: '', toolCalls: [] }),
      }),
    ]);
  });

  it('reports a bad signal instead of crashing on it', async () => {
    const tokenwire = createTokenwire({ providers: { mock: finishing() } });
    const signal = { aborted: 'no' } as unknown as AbortSignal;
    const error = await onlyError(
      collectEvents(tokenwire.stream({ model: 'mock/m', messages: conversation, signal })),
    );
    expect(error.message).toContain('signal must be an AbortSignal');
  });

  it('names the first bad message part by its full path', () => {
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 7 },
        ],
      },
    ];
    expect(findRequestProblem({ model: 'm', messages })?.message).toContain(
      'messages[0].content[1].text must be a string; got 7',
    );
  });
});

describe('tool parameters', () => {
  it('names the type of a schema that is not an object schema', () => {
    const problem = findRequestProblem({
      model: 'openai/gpt-4.1',
      messages: conversation,
      tools: [{ name: 'lookup', parameters: { type: 'string' } }],
    });
    expect(problem?.message).toBe(
      `Invalid request: tools[0].parameters must be a JSON Schema object with type: 'object', or a Standard Schema (zod, valibot, arktype); got type: "string". Nothing was sent.`,
    );
  });
});

describe('client configuration', () => {
  it('reports a bad client option on every stream, and from adapter(), without throwing', async () => {
    const adapter = finishing();
    const tokenwire = createTokenwire({ providers: { mock: adapter }, timeouts: { idleMs: 0 } });
    for (let stream = 0; stream < 2; stream++) {
      const error = await onlyError(
        collectEvents(tokenwire.stream({ model: 'mock/m', messages: conversation })),
      );
      expect(error.code).toBe('configuration');
      expect(error.message).toContain('timeouts.idleMs must be a number of milliseconds above 0');
    }
    await expect(tokenwire.adapter('mock')).rejects.toMatchObject({ code: 'configuration' });
    expect(adapter.calls).toBe(0);
  });

  it('refuses a timeout Node cannot keep (it would fire at once)', async () => {
    const tokenwire = createTokenwire({ providers: { mock: finishing() } });
    const stream = tokenwire.stream({
      model: 'mock/m',
      messages: conversation,
      timeouts: { totalMs: 2 ** 31 },
    });
    expect((await onlyError(collectEvents(stream))).message).toContain('timeouts.totalMs');
  });

  it('takes an unset timeout as no limit', async () => {
    const tokenwire = createTokenwire({ providers: { mock: finishing() } });
    const stream = tokenwire.stream({
      model: 'mock/m',
      messages: conversation,
      timeouts: { idleMs: undefined },
    });
    await expect(stream.result()).resolves.toMatchObject({ content: 'ok' });
  });
});

describe('settings of an adapter', () => {
  const kinds = { apiKey: 'string', baseURL: 'url', headers: 'headers', api: ['chat', 'responses'] } as const;

  it('names an unknown setting and the closest known one', () => {
    const problem = checkSettings({ baseUrl: 'http://x' }, kinds, 'openai');
    expect(problem).toMatchObject({ code: 'configuration', provider: 'openai' });
    expect(problem?.message).toContain(
      "Unknown setting of provider 'openai' 'baseUrl'. Did you mean baseURL?",
    );
  });

  it.each([
    [{ baseURL: 'api.openai.com' }, 'baseURL', 'must be an absolute http(s) URL'],
    [{ headers: { 'x-a': 1 } }, 'headers', 'must be an object of header names to strings'],
    [{ api: 'assistants' }, 'api', 'must be one of chat, responses'],
    [{ apiKey: 42 }, 'apiKey', 'must be a string'],
  ])('names a setting of the wrong kind: %j', (settings, key, rule) => {
    expect(checkSettings(settings, kinds, 'openai')?.message).toContain(`${key} (provider 'openai') ${rule}`);
  });

  it('accepts the keys core adds and unset values', () => {
    expect(
      checkSettings({ adapter: 'openai', provider: 'deepseek', apiKey: undefined }, kinds, 'deepseek'),
    ).toBeUndefined();
  });
});

describe('closestName', () => {
  it.each([
    ['baseUrl', 'baseURL'],
    ['max_tokens', 'maxTokens'],
    ['timeout', 'timeouts'],
    ['tempreature', 'temperature'],
    ['zzzzzz', undefined],
  ])('%s → %s', (name, expected) => {
    expect(closestName(name, ['baseURL', 'maxTokens', 'timeouts', 'temperature', 'topP'])).toBe(expected);
  });
});
