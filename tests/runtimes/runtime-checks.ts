// The checks of one case's result, the same for every runtime: the scenario's expected outcome
// (the conformance suite's own `expectOutcome`), the fault's expected end, the gateway's answer.
import type { StreamEvent } from '@tokenwire/core';
import { expect } from 'vitest';
import { expectFinish, expectOutcome } from '../../packages/testing/src/conformance-harness.js';
import { STRUCTURED_ANSWER } from '../../packages/testing/src/conformance-structured.js';
import { type CaseResult, TEST_ENV } from './entry/runtime-cases.js';
import type { PlannedCase } from './runtime-plan.js';

/** The text of an OpenAI Chat SSE answer: its `choices[0].delta.content`s joined, and whether it ended with [DONE]. */
function chatSseText(body: string): { content: string; done: boolean } {
  let content = '';
  let done = false;
  for (const record of body.split('\n\n')) {
    const data = record.startsWith('data: ') ? record.slice('data: '.length) : undefined;
    if (data === undefined) continue;
    if (data === '[DONE]') done = true;
    else
      content +=
        (JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0]?.delta
          ?.content ?? '';
  }
  return { content, done };
}

/** A UI message stream's tool calls (from `tool-input-available`), its finish, and its `[DONE]`. */
function checkUIStream(entry: PlannedCase, body: string): void {
  const chunks: Array<Record<string, unknown>> = [];
  let done = false;
  for (const record of body.split('\n\n')) {
    if (!record.startsWith('data: ')) continue;
    const data = record.slice('data: '.length);
    if (data === '[DONE]') done = true;
    else chunks.push(JSON.parse(data) as Record<string, unknown>);
  }
  const calls = chunks
    .filter((chunk) => chunk.type === 'tool-input-available')
    .map((chunk) => ({ id: chunk.toolCallId, name: chunk.toolName, input: chunk.input }));
  const expected = entry.expected?.toolCalls ?? [];
  expect(calls).toMatchObject(expected);
  expect(calls).toHaveLength(expected.length);
  expect(chunks[0]).toEqual({ type: 'start', messageId: 'msg_runtime' });
  expect(chunks.at(-1)).toMatchObject({ type: 'finish' });
  expect(done).toBe(true);
}

function checkFault(entry: PlannedCase, events: StreamEvent[], requests: number): void {
  const text = entry.scenario?.text;
  if (text === undefined) throw new Error(`${entry.id}: a fault case needs its scenario`);
  const last = events.at(-1);
  switch (entry.fault) {
    case 'truncated':
      expect(last).toMatchObject({
        type: 'error',
        error: { code: 'invalid_response' },
        partial: { content: text.cut.content },
      });
      expect(requests).toBe(1);
      return;
    case 'in-band-after-output':
      expect(last).toMatchObject({ type: 'error', partial: { content: text.cut.content } });
      expect(requests).toBe(1);
      return;
    case 'retried':
      expectOutcome(events, { content: text.expected.content });
      expect(requests).toBe(2);
      return;
    case 'authentication':
      expect(events).toMatchObject([{ type: 'error', error: { code: 'authentication', retryable: false } }]);
      return;
    case 'cancelled':
      expect(last).toMatchObject({ type: 'finish', reason: 'cancelled' });
      expect(text.cut.content.startsWith((last as { content: string }).content)).toBe(true);
      return;
    case 'timeout':
      expect(last).toMatchObject({
        type: 'error',
        error: { code: 'timeout' },
        partial: { content: text.cut.content },
      });
      return;
    case undefined:
      return;
  }
}

/** Checks a case's result; the comparison with Node's result is the caller's. */
export function checkCase(entry: PlannedCase, result: CaseResult, requests: number): void {
  if (entry.spec.kind === 'gateway') {
    expect(result.gateway?.status).toBe(200);
    expect(result.gateway?.contentType).toMatch(/^text\/event-stream/);
    const { content, done } = chatSseText(result.gateway?.body ?? '');
    expect({ content, done }).toEqual({ content: 'Hello, world!', done: true });
    return;
  }
  if (result.uiStream !== undefined) {
    checkUIStream(entry, result.uiStream);
    return;
  }
  const events = (result.events ?? []) as StreamEvent[];
  if (entry.expected !== undefined) expectOutcome(events, entry.expected);
  if (entry.fault !== undefined) checkFault(entry, events, requests);
  if (entry.structured) {
    expect(expectFinish(events).object).toEqual(STRUCTURED_ANSWER);
    expect(events.some((event) => event.type === 'partial_object')).toBe(true);
  }
  if (entry.noSecrets) {
    const text = JSON.stringify(result);
    for (const secret of Object.values(TEST_ENV)) if (secret.length > 12) expect(text).not.toContain(secret);
  }
  // a recorded stream ends like any other: one finish, or an error
  expect(['finish', 'error']).toContain(events.at(-1)?.type);
}
