import type { ErrorEvent, StreamRequest, TokenwireConfig } from '@tokenwire/core';
import { expect, it } from 'vitest';
import type { ConformanceHarness } from './conformance-harness.js';
import { collect } from './fixtures.js';
import {
  conformanceTools,
  conversationTexts,
  imageConversation,
  TINY_PNG_BASE64,
  toolConversation,
} from './scenarios/conversation.js';
import { invalidRequestCases } from './scenarios/invalid-requests.js';
import type { ConformanceScenarios } from './scenarios/scenario-types.js';

/** A conversation whose assistant turn holds a call with arguments the model cut off. */
const malformedHistory = [
  ...toolConversation.slice(0, 2),
  {
    role: 'assistant' as const,
    content: null,
    toolCalls: [{ id: 'call_weather_1', name: 'get_weather', arguments: '{"city": "Zanzib' }],
  },
  ...toolConversation.slice(3),
];

/** Registers the request-side tests: vendor shapes, one behaviour for malformed history, and refusals. */
export function describeRequestConformance(
  harness: ConformanceHarness,
  scenarios: ConformanceScenarios,
): void {
  const text = scenarios.text;
  const skip = scenarios.skip ?? {};

  const toolConversationSkip = skip.toolConversation;
  if (toolConversationSkip !== undefined) {
    it.skip(`sends the three-turn tool conversation (skipped: ${toolConversationSkip})`, () => {});
  } else {
    it('sends the three-turn tool conversation in the vendor’s valid shape', async () => {
      await harness.run([{ payloads: text.payloads }], {
        messages: toolConversation,
        tools: conformanceTools,
      });
      const body = harness.server.requests[0]?.body;
      expect(scenarios.validateRequest(body)).toEqual([]);
      const serialized = JSON.stringify(body);
      for (const expected of [
        conversationTexts.system,
        conversationTexts.firstQuestion,
        conversationTexts.secondQuestion,
        'get_weather',
        'Paris',
        'temperature',
      ]) {
        expect(serialized, `the request body mentions ${expected}`).toContain(expected);
      }
    });

    it('sends a history tool call whose arguments are not JSON with {} as its input', async () => {
      await harness.run([{ payloads: text.payloads }], {
        messages: malformedHistory,
        tools: conformanceTools,
      });
      const body = harness.server.requests[0]?.body;
      expect(scenarios.validateRequest(body)).toEqual([]);
      expect(JSON.stringify(body)).not.toContain('Zanzib');
      expect(JSON.stringify(body)).toContain('get_weather');
    });
  }

  if (skip.image !== undefined) it.skip(`sends an image (skipped: ${skip.image})`, () => {});
  else {
    it('sends an image in the vendor’s valid shape', async () => {
      await harness.run([{ payloads: text.payloads }], { messages: imageConversation });
      const body = harness.server.requests[0]?.body;
      expect(scenarios.validateRequest(body)).toEqual([]);
      expect(JSON.stringify(body)).toContain(conversationTexts.imageQuestion);
      expect(JSON.stringify(body)).toContain(TINY_PNG_BASE64);
    });
  }

  it.each(invalidRequestCases)('refuses $rule before sending: $code naming $path', async (entry) => {
    const request = entry.request as Partial<StreamRequest> | undefined;
    const events = await collect(harness.stream(request, { idleMs: 3000 }, entry.config as TokenwireConfig));
    expect(events.map((event) => event.type)).toEqual(['error']);
    const error = (events[0] as ErrorEvent).error;
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code: entry.code, retryable: false });
    expect(error.message).toContain(entry.path);
    if (entry.says !== undefined) expect(error.message).toContain(entry.says);
    expect(harness.server.requests).toEqual([]);
  });
}
