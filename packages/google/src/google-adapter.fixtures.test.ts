import { readdirSync } from 'node:fs';
import { createTokenwire, type StreamEvent } from '@tokenwire/core';
import { collect, createReplayServer, findInvariantViolations } from '@tokenwire/testing';
import { useReplayServer } from '@tokenwire/testing/conformance';
import { describe, expect, it } from 'vitest';
import { createGoogleAdapter } from './google-adapter.js';
import type { GoogleSdk } from './google-clients.js';

// Recorded Gemini streams, read in place (CI clones the repository next to `shared/`), replayed
// through the real SDKs. Both SDKs parse every one of them (they are plain `data:` records).
const DIRECTORY = new URL('../../../../shared/fixtures/google/generate-content/', import.meta.url);
/** Each SDK with each transport (the legacy SDK is sdk-only: with transport direct it reads its body itself). */
const SETUPS: Array<[string, GoogleSdk, 'sdk' | 'direct']> = [
  ['genai SDK (transport sdk)', 'genai', 'sdk'],
  ['genai SDK (transport direct)', 'genai', 'direct'],
  ['generative-ai SDK (transport sdk)', 'generative-ai', 'sdk'],
  ['generative-ai SDK (transport direct)', 'generative-ai', 'direct'],
];

/** One line per event, keeping what each fixture is about; signatures by their first 8 characters. */
function summarize(events: StreamEvent[]): unknown[] {
  return events.map((event): unknown[] => {
    switch (event.type) {
      case 'start':
        return ['start', event.model, event.responseId];
      case 'token':
        return ['token', event.content];
      case 'reasoning':
        return ['reasoning', event.content, event.signature?.slice(0, 8)];
      case 'tool_call_chunk':
        return ['tool_call_chunk', event.index, event.name, event.argumentsDelta.length];
      case 'tool_call_complete':
        return ['tool_call_complete', event.index, event.name];
      case 'finish':
        return ['finish', event.reason, event.rawReason, event.usage];
      case 'error':
        return ['error', event.error.code];
      default:
        return [event.type];
    }
  });
}

describe.each(SETUPS)('every recorded Gemini stream through the real %s', (_name, sdk, transport) => {
  const server = useReplayServer({ per: 'file' });

  async function replay(name: string, holdOpen = false, on = server): Promise<StreamEvent[]> {
    on.enqueue({ fixture: new URL(name, DIRECTORY), holdOpen });
    const tokenwire = createTokenwire({
      providers: { google: createGoogleAdapter({ apiKey: 'test-key', baseURL: on.url, sdk, transport }) },
      retries: 0,
    });
    const events = await collect(
      tokenwire.stream({ model: 'google/gemini-3-pro-preview', messages: [{ role: 'user', content: 'Hi' }] }),
    );
    expect(findInvariantViolations(events)).toEqual([]);
    return events;
  }

  it('replays all eight fixtures of the directory', () => {
    expect(readdirSync(DIRECTORY).filter((name) => name.endsWith('.chunks.txt')).length).toBe(8);
  });

  // Every recording ends with its finishReason chunk (the final usage, and a streamed call's empty
  // `functionCall: {}`, in the same chunk): the adapter finishes there and closes the connection.
  it.each(readdirSync(DIRECTORY).filter((name) => name.endsWith('.chunks.txt')))(
    '%s: finishes at the finishReason chunk, as when the server closes, and closes a connection held open',
    async (name) => {
      const closed = summarize(await replay(name));
      const holding = await createReplayServer(); // its only early close is the one awaited
      try {
        const heldOpen = await replay(name, true, holding);
        await holding.waitForClientClose();
        expect([heldOpen.at(-1)?.type, summarize(heldOpen)]).toEqual(['finish', closed]);
      } finally {
        await holding.close();
      }
    },
  );

  it('google-text: the answer in two tokens, the signature kept, exact usage, stop', async () => {
    const events = await replay('google-text.chunks.txt');
    expect(summarize(events)).toEqual([
      ['start', 'gemini-3-pro-preview', 'bH6LaZW8Fp_3nsEPqtaSwQ4'],
      ['token', 'There are **3**'],
      ['token', ' "r"s in strawberry.\n\nst**r**awbe**rr**y'],
      ['reasoning', '', 'EqsFCqgF'],
      [
        'finish',
        'stop',
        'STOP',
        { inputTokens: 9, outputTokens: 208, totalTokens: 217, reasoningTokens: 185, estimated: false },
      ],
    ]);
    expect(events.at(-1)).toMatchObject({
      content: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
      reasoning: '',
      toolCalls: [],
      model: 'gemini-3-pro-preview',
    });
  });

  it.each([
    [
      'google-reasoning.chunks.txt',
      ['There are **3** "r"s in', ' strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.'],
      'Eo0HCooH',
      { inputTokens: 9, outputTokens: 285, totalTokens: 294, reasoningTokens: 256, estimated: false },
    ],
    [
      'google-reasoning-gemini3.chunks.txt',
      ['There are **3** "r"s in strawberry.\n\n', 'St**r**awbe**rr**y'],
      'EpAICo0I',
      { inputTokens: 9, outputTokens: 325, totalTokens: 334, reasoningTokens: 302, estimated: false },
    ],
  ])('%s: hidden thinking counted as output and reasoning tokens', async (name, tokens, signature, usage) => {
    const summary = summarize(await replay(name));
    expect(summary.slice(1)).toEqual([
      ['token', tokens[0]],
      ['token', tokens[1]],
      ['reasoning', '', signature],
      ['finish', 'stop', 'STOP', usage],
    ]);
  });

  it.each([
    ['google-tool-call.chunks.txt', 'EqUCCqIC', 60, 89, 45],
    ['google-tool-call-gemini3.chunks.txt', 'EpEgCo4g', 819, 848, 804],
  ])(
    '%s: one whole call, completed once, STOP becomes tool_calls',
    async (name, signature, output, total, thoughts) => {
      const events = await replay(name);
      expect(summarize(events).slice(1)).toEqual([
        ['reasoning', '', signature],
        ['tool_call_chunk', 0, 'weather', 28],
        ['tool_call_complete', 0, 'weather'],
        [
          'finish',
          'tool_calls',
          'STOP',
          {
            inputTokens: 29,
            outputTokens: output,
            totalTokens: total,
            reasoningTokens: thoughts,
            estimated: false,
          },
        ],
      ]);
      expect(events.at(-1)).toMatchObject({
        toolCalls: [
          { id: expect.stringMatching(/^call_/), name: 'weather', input: { location: 'San Francisco' } },
        ],
      });
    },
  );

  it('google-stream-tool-call-arguments: two streamed calls rebuilt from their pieces', async () => {
    const events = await replay('google-stream-tool-call-arguments.chunks.txt');
    expect(summarize(events)).toEqual([
      ['start', 'gemini-3.1-pro-preview', 'dqHOab6xGLzWodAPkPuViA4'],
      ['reasoning', '', 'CiMBjz1r'],
      ['tool_call_chunk', 0, 'getWeather', 0],
      ['tool_call_chunk', 0, 'getWeather', 21],
      ['tool_call_complete', 0, 'getWeather'],
      ['tool_call_chunk', 1, 'getWeather', 0],
      ['tool_call_chunk', 1, 'getWeather', 28],
      ['tool_call_complete', 1, 'getWeather'],
      [
        'finish',
        'tool_calls',
        'STOP',
        { inputTokens: 26, outputTokens: 155, totalTokens: 181, reasoningTokens: 132, estimated: false },
      ],
    ]);
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect(finish.toolCalls.map((call) => call.input)).toEqual([
      { location: 'Boston' },
      { location: 'San Francisco' },
    ]);
  });

  it('google-stream-tool-call-array-arguments-missing-terminal-function-call: completes without the terminal record', async () => {
    const events = await replay(
      'google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt',
    );
    expect(summarize(events).map((line) => (line as unknown[])[0])).toEqual([
      'start',
      'reasoning',
      'tool_call_chunk',
      'tool_call_chunk',
      'tool_call_complete',
      'finish',
    ]);
    expect(events.at(-1)).toMatchObject({
      reason: 'tool_calls',
      toolCalls: [
        {
          name: 'writeItems',
          input: {
            operations: [
              { action: 'add', description: 'Fresh red apple', itemid: 'apple_001', price: 0.5 },
              { action: 'add', description: 'Ripe yellow banana', itemid: 'banana_001', price: 0.3 },
            ],
          },
        },
      ],
    });
  });

  it('google-vertex-stream-tool-call-arguments-nested.1: 76 chunks of nested pieces, one call', async () => {
    const events = await replay('google-vertex-stream-tool-call-arguments-nested.1.chunks.txt');
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect([finish.reason, finish.rawReason, finish.toolCalls.length, finish.toolCalls[0]?.name]).toEqual([
      'tool_calls',
      'STOP',
      1,
      'cookRecipe',
    ]);
    const { recipe } = (finish.toolCalls[0] as { input: unknown }).input as {
      recipe: { name: string; ingredients: unknown[]; steps: string[] };
    };
    expect([recipe.name, recipe.ingredients.length, recipe.steps.length, recipe.steps[9]]).toEqual([
      'Lasagna',
      10,
      10,
      'Let stand for 15 minutes before serving.',
    ]);
    expect(events.filter((event) => event.type === 'tool_call_complete').length).toBe(1);
  });
});

describe('the Vertex recordings through @google/genai in Vertex mode (provider vertex, express-mode key)', () => {
  const server = useReplayServer({ per: 'file' });

  it.each(
    (['sdk', 'direct'] as const).flatMap((transport) =>
      VERTEX_CASES.map(([name, inputs]) => [name, inputs, transport] as const),
    ),
  )('%s: the streamed calls, on the Vertex path (transport %s)', async (name, inputs, transport) => {
    server.enqueue({ fixture: new URL(name, DIRECTORY) });
    const adapter = createGoogleAdapter({
      provider: 'vertex',
      apiKey: 'vertex-key',
      baseURL: server.url,
      transport,
    });
    const events = await collect(
      createTokenwire({ providers: { vertex: adapter }, retries: 0 }).stream({
        model: 'vertex/gemini-3.1-pro-preview',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect([finish.provider, finish.reason, finish.toolCalls.map((call) => call.input)]).toEqual([
      'vertex',
      'tool_calls',
      inputs,
    ]);
    expect(server.requests.at(-1)?.path).toBe(
      '/v1beta1/publishers/google/models/gemini-3.1-pro-preview:streamGenerateContent',
    );
  });
});

const VERTEX_CASES: Array<readonly [string, unknown[]]> = [
  ['google-stream-tool-call-arguments.chunks.txt', [{ location: 'Boston' }, { location: 'San Francisco' }]],
  [
    'google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt',
    [
      {
        operations: [
          { action: 'add', description: 'Fresh red apple', itemid: 'apple_001', price: 0.5 },
          { action: 'add', description: 'Ripe yellow banana', itemid: 'banana_001', price: 0.3 },
        ],
      },
    ],
  ],
];
