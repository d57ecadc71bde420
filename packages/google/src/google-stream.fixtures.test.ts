import { readdirSync } from 'node:fs';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { readFixture } from '@tokenwire/testing';
import { describe, expect, it } from 'vitest';
import { createGoogleStreamState, finishGoogleStream, translateGoogleChunk } from './google-stream.js';
import type { GoogleChunk } from './google-types.js';

// Recorded Gemini streams, read in place (CI clones the repository next to `shared/`).
const DIRECTORY = new URL('../../../../shared/fixtures/google/generate-content/', import.meta.url);

async function translateFixture(name: string): Promise<AdapterDelta[]> {
  const chunks = (await readFixture(new URL(name, DIRECTORY))) as GoogleChunk[];
  const state = createGoogleStreamState();
  const deltas = chunks.flatMap((chunk) => translateGoogleChunk(chunk, state));
  return [...deltas, ...finishGoogleStream(state)];
}

const signature = (prefix: string) => ({
  type: 'reasoning',
  delta: '',
  signature: expect.stringMatching(`^${prefix}`),
});
const stop = { type: 'finish', reason: 'stop', rawReason: 'STOP' };

/** The argument object of the last `tool_call` delta with arguments for this index. */
function argumentsOf(deltas: AdapterDelta[], index: number): unknown {
  const fragment = deltas.findLast(
    (delta) => delta.type === 'tool_call' && delta.index === index && delta.argumentsDelta !== undefined,
  );
  return JSON.parse((fragment as { argumentsDelta: string }).argumentsDelta);
}

describe('translateGoogleChunk over the recorded Gemini streams', () => {
  it('covers every fixture of the directory', () => {
    expect(readdirSync(DIRECTORY).filter((name) => name.endsWith('.chunks.txt')).length).toBe(8);
  });

  it('google-text: two text deltas, the last part signature, usage with thinking, stop', async () => {
    expect(await translateFixture('google-text.chunks.txt')).toEqual([
      { type: 'start', model: 'gemini-3-pro-preview', responseId: 'bH6LaZW8Fp_3nsEPqtaSwQ4' },
      { type: 'text', delta: 'There are **3**' },
      { type: 'text', delta: ' "r"s in strawberry.\n\nst**r**awbe**rr**y' },
      signature('EqsFCqgF'),
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 208, totalTokens: 217, reasoningTokens: 185 } },
      stop,
    ]);
  });

  it('google-reasoning: hidden thinking shows only in the usage and the signature', async () => {
    expect(await translateFixture('google-reasoning.chunks.txt')).toEqual([
      { type: 'start', model: 'gemini-3-pro-preview', responseId: 'dX6LadKVC7SZ28oPr9yJoQs' },
      { type: 'text', delta: 'There are **3** "r"s in' },
      { type: 'text', delta: ' strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.' },
      signature('Eo0HCooH'),
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 285, totalTokens: 294, reasoningTokens: 256 } },
      stop,
    ]);
  });

  it('google-reasoning-gemini3: same shape, another run', async () => {
    expect(await translateFixture('google-reasoning-gemini3.chunks.txt')).toEqual([
      { type: 'start', model: 'gemini-3-pro-preview', responseId: 'M3iLaY-AI7zTxN8P3Piw4Qg' },
      { type: 'text', delta: 'There are **3** "r"s in strawberry.\n\n' },
      { type: 'text', delta: 'St**r**awbe**rr**y' },
      signature('EpAICo0I'),
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 325, totalTokens: 334, reasoningTokens: 302 } },
      stop,
    ]);
  });

  it.each([
    ['google-tool-call.chunks.txt', 'b36LacjwM668nsEP2tbsgQQ', 'EqUCCqIC', 60, 89, 45],
    ['google-tool-call-gemini3.chunks.txt', 'QHiLaa6LBrb8vdIPoNztsAg', 'EpEgCo4g', 819, 848, 804],
  ])(
    '%s: one whole call with its signature, then STOP',
    async (name, responseId, prefix, output, total, thoughts) => {
      expect(await translateFixture(name)).toEqual([
        { type: 'start', model: 'gemini-3-pro-preview', responseId },
        signature(prefix),
        { type: 'tool_call', index: 0, name: 'weather', argumentsDelta: '{"location":"San Francisco"}' },
        { type: 'tool_call_end', index: 0 },
        {
          type: 'usage',
          usage: { inputTokens: 29, outputTokens: output, totalTokens: total, reasoningTokens: thoughts },
        },
        stop,
      ]);
    },
  );

  it('google-stream-tool-call-arguments: two parallel streamed calls, each closed by its terminal record', async () => {
    expect(await translateFixture('google-stream-tool-call-arguments.chunks.txt')).toEqual([
      { type: 'start', model: 'gemini-3.1-pro-preview', responseId: 'dqHOab6xGLzWodAPkPuViA4' },
      signature('CiMBjz1r'),
      { type: 'tool_call', index: 0, name: 'getWeather' },
      { type: 'tool_call', index: 0, argumentsDelta: '{"location":"Boston"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call', index: 1, name: 'getWeather' },
      { type: 'tool_call', index: 1, argumentsDelta: '{"location":"San Francisco"}' },
      { type: 'tool_call_end', index: 1 },
      {
        type: 'usage',
        usage: { inputTokens: 26, outputTokens: 155, totalTokens: 181, reasoningTokens: 132 },
      },
      stop,
    ]);
  });

  it('google-stream-tool-call-array-arguments-missing-terminal-function-call: array args, no terminal record', async () => {
    const deltas = await translateFixture(
      'google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt',
    );
    expect(deltas.map((delta) => delta.type)).toEqual([
      'start',
      'reasoning',
      'tool_call',
      'tool_call',
      'tool_call_end',
      'usage',
      'finish',
    ]);
    expect(deltas[2]).toEqual({ type: 'tool_call', index: 0, name: 'writeItems' });
    expect(argumentsOf(deltas, 0)).toEqual({
      operations: [
        { action: 'add', description: 'Fresh red apple', itemid: 'apple_001', price: 0.5 },
        { action: 'add', description: 'Ripe yellow banana', itemid: 'banana_001', price: 0.3 },
      ],
    });
    expect(deltas.at(-1)).toEqual(stop);
  });

  it('google-vertex-stream-tool-call-arguments-nested: 76 chunks of nested pieces make one call', async () => {
    const deltas = await translateFixture('google-vertex-stream-tool-call-arguments-nested.1.chunks.txt');
    expect(
      deltas.filter((delta) => delta.type === 'tool_call' || delta.type === 'tool_call_end').length,
    ).toBe(3);
    const recipe = (
      argumentsOf(deltas, 0) as { recipe: { name: string; ingredients: unknown[]; steps: string[] } }
    ).recipe;
    expect([recipe.name, recipe.ingredients.length, recipe.steps.length]).toEqual(['Lasagna', 10, 10]);
    expect(recipe.ingredients[0]).toEqual({ amount: '16 oz', name: 'Lasagna noodles' });
    expect(recipe.steps[1]).toBe(
      'Cook lasagna noodles according to package directions, drain and set aside.',
    );
    expect(recipe.steps[4]).toBe('In a 9x13 baking dish, spread a thin layer of meat sauce.');
    expect(deltas.slice(-2)).toEqual([
      {
        type: 'usage',
        usage: { inputTokens: 31, outputTokens: 1710, totalTokens: 1741, reasoningTokens: 1026 },
      },
      stop,
    ]);
  });
});
