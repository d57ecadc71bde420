import type { ChatResponseFormat, FinishEvent, StreamEvent } from '@tokenwire/core';
import { expect, it } from 'vitest';
import { type ConformanceHarness, expectFinish } from './conformance-harness.js';
import type { ConformanceScenarios } from './scenarios/scenario-types.js';

/** The answer every structured scenario streams: strings with escapes and non-Latin text, numbers, nesting. */
export const STRUCTURED_ANSWER = {
  city: 'Paris "Ville Lumière"',
  temperature: 21.5,
  days: [
    { day: 'Monday', high: 22.25 },
    { day: 'Tuesday', high: -3.5 },
  ],
  note: '你好🙂, a \\ and a new\nline',
};

const day = {
  type: 'object',
  properties: { day: { type: 'string' }, high: { type: 'number' } },
  required: ['day', 'high'],
  additionalProperties: false,
};

/** The JSON Schema of `STRUCTURED_ANSWER`, closed and all-required (what strict modes take). */
export const STRUCTURED_SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    temperature: { type: 'number' },
    days: { type: 'array', items: day },
    note: { type: 'string' },
  },
  required: ['city', 'temperature', 'days', 'note'],
  additionalProperties: false,
};

const FORMATS: ChatResponseFormat[] = [
  { type: 'json' },
  { type: 'json_schema', name: 'weather', schema: STRUCTURED_SCHEMA },
];

/**
 * The text cut into pieces of 3 code points (never inside a character): with this answer, cuts
 * fall inside strings and inside numbers, which `describeStructuredConformance` checks.
 */
export function fragmentsOf(text: string): string[] {
  const characters = Array.from(text);
  const fragments: string[] = [];
  for (let index = 0; index < characters.length; index += 3)
    fragments.push(characters.slice(index, index + 3).join(''));
  return fragments;
}

/** True when `next` holds all of `previous`: strings and arrays only grow, objects only gain keys. */
export function extendsValue(previous: unknown, next: unknown): boolean {
  if (typeof previous === 'string') return typeof next === 'string' && next.startsWith(previous);
  if (Array.isArray(previous)) {
    if (!Array.isArray(next) || next.length < previous.length) return false;
    // The last element may still be growing; the ones before it are complete.
    return previous.every((element, index) => extendsValue(element, next[index]));
  }
  if (typeof previous === 'object' && previous !== null) {
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return false;
    const record = next as Record<string, unknown>;
    return Object.entries(previous).every(
      ([key, value]) => key in record && extendsValue(value, record[key]),
    );
  }
  return Object.is(previous, next);
}

/** Snapshots of every `partial_object`, taken as it arrives (the live value changes in place). */
async function runStructured(
  harness: ConformanceHarness,
  payloads: unknown[],
  format: ChatResponseFormat,
): Promise<{ events: StreamEvent[]; partials: unknown[]; finish: FinishEvent }> {
  harness.server.enqueue({ payloads });
  const events: StreamEvent[] = [];
  const partials: unknown[] = [];
  for await (const event of harness.stream({ responseFormat: format })) {
    events.push(event);
    if (event.type === 'partial_object') partials.push(structuredClone(event.object));
  }
  return { events, partials, finish: expectFinish(events) };
}

/**
 * Structured output: for `{ type: 'json' }` and a JSON Schema, the answer streamed in more than 20
 * fragments (cut inside strings and numbers) gives partial objects that only grow and a
 * `finish.object` equal to the value, and the request carries the provider's JSON switch; an answer
 * that breaks the schema, and one cut off by the token limit, finish with `objectError` and keep
 * the text.
 */
export function describeStructuredConformance(
  harness: ConformanceHarness,
  scenarios: ConformanceScenarios,
): void {
  const scenario = scenarios.structuredOutput;
  if (scenario === undefined || 'skip' in scenario) {
    const reason = scenario?.skip ?? 'the scenarios give no structuredOutput';
    it.skip(`streams structured answers (skipped: ${reason})`, () => {});
    return;
  }
  const text = JSON.stringify(STRUCTURED_ANSWER, null, 1);
  const fragments = fragmentsOf(text);

  it('cuts the structured answer into 20+ fragments, inside strings and numbers', () => {
    const cuts = fragments.slice(1).map((fragment, index) => `${fragments[index]?.at(-1)}${fragment[0]}`);
    expect(fragments.length).toBeGreaterThanOrEqual(20);
    expect(cuts.some((cut) => /^[A-Za-z]{2}$/.test(cut))).toBe(true); // inside a string
    expect(cuts.some((cut) => /^(\d[\d.]|\.\d)$/.test(cut))).toBe(true); // inside a number
  });

  for (const format of FORMATS) {
    it(`streams a ${format.type} answer as growing partial objects, then finish.object`, async () => {
      const { partials, finish } = await runStructured(
        harness,
        scenario.answerPayloads(fragments, format, 'stop'),
        format,
      );
      expect(scenario.requestProblems(harness.server.requests[0]?.body, format)).toEqual([]);
      expect(finish.content).toBe(text);
      expect(finish.objectError).toBeUndefined();
      expect(finish.object).toEqual(STRUCTURED_ANSWER);
      expect(partials.length).toBeGreaterThanOrEqual(10);
      const regressions = partials.flatMap((partial, index) =>
        index > 0 && !extendsValue(partials[index - 1], partial) ? [index] : [],
      );
      expect(regressions, 'partial objects that dropped part of the one before').toEqual([]);
      expect(partials.at(-1)).toEqual(STRUCTURED_ANSWER);
    });
  }

  it('finishes with objectError and keeps the text when the answer breaks the schema', async () => {
    const format = FORMATS[1] as ChatResponseFormat;
    const wrong = JSON.stringify({ ...STRUCTURED_ANSWER, temperature: 'warm' });
    const { finish } = await runStructured(
      harness,
      scenario.answerPayloads(fragmentsOf(wrong), format, 'stop'),
      format,
    );
    expect(finish.content).toBe(wrong);
    expect(finish.object).toBeUndefined();
    expect(finish.objectError).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(finish.objectError?.message).toContain('/temperature');
  });

  for (const format of FORMATS) {
    it(`finishes with objectError and keeps the text of a ${format.type} answer cut off by the token limit`, async () => {
      const half = fragments.slice(0, Math.floor(fragments.length / 2));
      const { partials, finish } = await runStructured(
        harness,
        scenario.answerPayloads(half, format, 'length'),
        format,
      );
      expect(finish.reason).toBe('length');
      expect(finish.content).toBe(half.join(''));
      expect(finish.object).toBeUndefined();
      expect(finish.objectError?.code).toBe('invalid_response');
      expect(finish.objectError?.message).toContain('cut off');
      expect(partials.length).toBeGreaterThan(0);
    });
  }
}
