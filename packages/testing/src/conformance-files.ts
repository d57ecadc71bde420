import type { ErrorEvent, Message, TokenwireConfig } from '@tokenwire/core';
import { expect, it } from 'vitest';
import type { ConformanceHarness } from './conformance-harness.js';
import { collect } from './fixtures.js';
import { conformanceTools, TINY_PNG_BASE64 } from './scenarios/conversation.js';
import {
  audioConversation,
  largePdfConversation,
  pdfConversation,
  TINY_PDF_BASE64,
  TINY_WAV_BASE64,
  toolImageConversation,
} from './scenarios/files.js';
import type { ConformanceScenarios } from './scenarios/scenario-types.js';

const cases: Array<{ key: 'pdf' | 'audio' | 'toolImage'; what: string; messages: Message[]; bytes: string }> =
  [
    { key: 'pdf', what: 'a PDF', messages: pdfConversation, bytes: TINY_PDF_BASE64 },
    { key: 'audio', what: 'an audio clip', messages: audioConversation, bytes: TINY_WAV_BASE64 },
    {
      key: 'toolImage',
      what: 'a tool result with an image',
      messages: toolImageConversation,
      bytes: TINY_PNG_BASE64,
    },
  ];

/**
 * Registers the file tests: a PDF, an audio clip and a tool result with an image, each sent in the
 * vendor's valid shape or refused before sending with the field named, as the scenarios declare;
 * a 40 MB file refused with the limit named where the provider's limit is lower.
 */
export function describeFileConformance(harness: ConformanceHarness, scenarios: ConformanceScenarios): void {
  const files = scenarios.files;
  if (files === undefined) {
    it.skip('sends files (skipped: the adapter declares no file support)', () => {});
    return;
  }
  for (const { key, what, messages, bytes } of cases) {
    const expected = files[key];
    if (expected === 'sent') {
      it(`sends ${what} in the vendor’s valid shape`, async () => {
        await harness.run([{ payloads: scenarios.text.payloads }], { messages, tools: conformanceTools });
        const body = harness.server.requests[0]?.body;
        expect(scenarios.validateRequest(body)).toEqual([]);
        // Bedrock's bytes travel as base64 too, in its JSON body.
        expect(JSON.stringify(body)).toContain(bytes.replace(/=+$/, ''));
      });
    } else {
      it(`refuses ${what} before sending, naming ${expected.refused}`, async () => {
        const events = await harness.run([{ payloads: scenarios.text.payloads }], {
          messages,
          tools: conformanceTools,
        });
        expect(events.map((event) => event.type)).toEqual(['error']);
        const error = (events[0] as ErrorEvent).error;
        expect(error.code).toBe('invalid_request');
        expect(error.message).toContain(expected.refused);
        expect(harness.server.requests).toEqual([]);
      });
    }
  }
  const limit = files.inlineLimitMB;
  if (limit === undefined) {
    it.skip('refuses a 40 MB file (skipped: the provider takes 40 MB inline)', () => {});
  } else {
    it(`refuses a 40 MB file before sending, naming the ${limit} MB limit`, async () => {
      const messages = largePdfConversation(40);
      // Core's own cap on a request (maxBytes.request, 32 MiB) is raised, so the provider's limit answers.
      const config = { maxBytes: { request: 128 * 1024 * 1024 } } as TokenwireConfig;
      const events = await collect(harness.stream({ messages }, { idleMs: 3000 }, config));
      expect(events.map((event) => event.type)).toEqual(['error']);
      const error = (events[0] as ErrorEvent).error;
      expect(error.code).toBe('invalid_request');
      expect(error.message).toContain('messages[0].content[1].data');
      expect(error.message).toContain(`${limit} MB`);
      expect(harness.server.requests).toEqual([]);
    });
    it('refuses a 40 MB file by core’s maxBytes.request cap with the defaults', async () => {
      const events = await collect(harness.stream({ messages: largePdfConversation(40) }, { idleMs: 3000 }));
      expect((events[0] as ErrorEvent).error.message).toContain('maxBytes.request');
      expect(harness.server.requests).toEqual([]);
    });
  }
}

/**
 * Registers the token-count test: an adapter with `countTokens` answers exact counts only from a
 * provider or a tokenizer; one without gets core's estimate, flagged `exact: false`, and sends nothing.
 */
export function describeCountConformance(harness: ConformanceHarness): void {
  it('counts input tokens, never exact when estimated', async () => {
    const count = await harness.countTokens({ messages: pdfConversation });
    expect(count.inputTokens).toBeGreaterThan(0);
    expect(['provider', 'tokenizer', 'estimate']).toContain(count.source);
    expect(count.exact).toBe(count.source !== 'estimate');
    if (count.source === 'estimate') expect(harness.server.requests).toEqual([]);
  });
}
