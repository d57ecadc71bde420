import { type ErrorEvent, type StreamEvent, toSSE } from '@tokenwire/core';
import { expect, it } from 'vitest';
import type { ConformanceHarness } from './conformance-harness.js';
import { collect } from './fixtures.js';
import { findInvariantViolations } from './invariants.js';
import { CREDENTIAL_HEADERS } from './replay-answer.js';
import type { ReplayScript } from './replay-server.js';
import type { ConformanceScenarios } from './scenarios/scenario-types.js';
import { findSecrets } from './secret-search.js';

const decoder = new TextDecoder();

async function readBody(body: ReadableStream<Uint8Array>): Promise<string> {
  const reader = body.getReader();
  let text = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    text += decoder.decode(read.value, { stream: true });
  }
  return text;
}

/** Waits until `condition` holds, checking on each turn of the event loop (at most `turns`). */
async function eventually(condition: () => boolean, turns = 200): Promise<boolean> {
  for (let turn = 0; turn < turns && !condition(); turn++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  return condition();
}

/**
 * The credentials the adapter sent (the values of every credential header, with and without their
 * scheme), the ones a leak would show. Short values are not registered as secrets, so they are left out.
 */
function credentialsSent(harness: ConformanceHarness): string[] {
  const headers = harness.server.requests[0]?.headers ?? {};
  const values = CREDENTIAL_HEADERS.flatMap((name) =>
    headers[name] === undefined ? [] : [headers[name] as string],
  );
  return values
    .flatMap((value) => [value, value.replace(/^\w+\s+/, '')])
    .filter((value) => value.length >= 6);
}

/** Registers the tests of DESIGN.md's hardening rules: nothing leaks, nothing balloons, nothing hangs. */
export function describeHardeningConformance(
  harness: ConformanceHarness,
  scenarios: ConformanceScenarios,
): void {
  const text = scenarios.text;

  const noEmptyRecord =
    typeof scenarios.protocol !== 'string' && scenarios.protocol.emptyPayload === undefined;
  if (noEmptyRecord) {
    it.skip('times out a stream whose records carry nothing (skipped: the wire format gives no emptyPayload)', () => {});
  } else
    it('times out a stream whose records carry nothing (idleMs counts deltas, not records)', async () => {
      const events = await harness.run(
        [{ payloads: text.payloads, heartbeat: { after: text.cut.after, everyMs: 40 } }],
        {},
        { idleMs: 300 },
      );
      expect(events.at(-1)).toMatchObject({
        type: 'error',
        error: { code: 'timeout' },
        partial: { content: text.cut.content },
      });
      await harness.server.waitForClientClose();
    });

  it('finishes at the terminal record and closes a connection the server holds open', async () => {
    const events = await harness.run([{ payloads: text.payloads, holdOpen: true }], {}, { idleMs: 5_000 });
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: text.expected.content });
    await harness.server.waitForClientClose();
  });

  it('releases every connection when a stream ends normally', async () => {
    await harness.run([{ payloads: text.payloads }]);
    expect(await eventually(() => harness.server.openResponses === 0)).toBe(true);
  });

  it('ends with invalid_response on a malformed record after output, keeping what arrived', async () => {
    const payloads = [
      ...text.payloads.slice(0, text.cut.after),
      '{"broken": ',
      ...text.payloads.slice(text.cut.after),
    ];
    const events = await harness.run([{ payloads }]);
    const last = events.at(-1) as ErrorEvent;
    expect(last).toMatchObject({ type: 'error', error: { code: 'invalid_response', retryable: false } });
    // Some SDKs lose the records read with the malformed one (see the adapter's README).
    expect(text.cut.content.startsWith(last.partial.content)).toBe(true);
  });

  it('retries a malformed record before any output, like the truncation it is', async () => {
    const broken = [...text.payloads.slice(0, text.recordsBeforeOutput), '{"broken": '];
    const events = await harness.run([{ payloads: broken }, { payloads: text.payloads }]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', content: text.expected.content });
    expect(harness.server.requests).toHaveLength(2);
  });

  const builder = scenarios.textPayloads;
  if (builder === undefined)
    it.skip('refuses an oversized record (skipped: the scenarios have no textPayloads builder)', () => {});
  else {
    it('ends with invalid_response naming maxBytes.record for an oversized record', async () => {
      harness.server.enqueue({ payloads: builder(['Hello', 'x'.repeat(300_000), '!']) });
      const events = await collect(harness.stream({}, { idleMs: 3000 }, { maxBytes: { record: 100_000 } }));
      expect(findInvariantViolations(events)).toEqual([]);
      const last = events.at(-1) as ErrorEvent;
      expect(last).toMatchObject({ type: 'error', error: { code: 'invalid_response' } });
      expect(last.error.message).toContain('maxBytes.record');
    });
  }

  const leaks: Array<[string, () => ReplayScript]> = [
    ['a 401 whose body and headers echo the key', () => ({ status: 401, echoCredentials: true })],
    ['a 500 whose body and headers echo the key', () => ({ status: 500, echoCredentials: true })],
    [
      'a proxy’s HTML error page listing the request headers',
      () => ({
        status: 502,
        echoCredentials: true,
        errorBody: '<html><body><h1>502</h1><pre>{{credentials}}</pre></body></html>',
      }),
    ],
    [
      'an in-band error that echoes the key',
      () => ({ payloads: text.payloads, inBandError: { after: text.cut.after }, echoCredentials: true }),
    ],
  ];
  it.each(leaks)(
    'keeps the key out of everything reachable from the error of %s, and out of toSSE',
    async (_name, script) => {
      harness.server.enqueue(script());
      const events = await collect(harness.stream({}, { idleMs: 3000 }, { retries: 0 }));
      const secrets = credentialsSent(harness);
      expect(
        secrets.length,
        'the adapter under test sent no credential of 6 characters or more',
      ).toBeGreaterThan(0);
      const last = events.at(-1) as ErrorEvent;
      expect(last.type).toBe('error');
      expect(findSecrets(last.error, secrets)).toEqual([]);
      harness.server.enqueue(script());
      const body = await readBody(toSSE(harness.stream({}, { idleMs: 3000 }, { retries: 0 })));
      expect(secrets.filter((secret) => body.includes(secret))).toEqual([]);
    },
  );

  it('registers a credential header of the request: it never shows in an error', async () => {
    const gatewayToken = 'gateway-secret-8c7b6a5f4e';
    harness.server.enqueue({ status: 401, echoCredentials: true });
    const events: StreamEvent[] = await collect(
      harness.stream({ headers: { 'x-gateway-token': gatewayToken } }),
    );
    const last = events.at(-1) as ErrorEvent;
    expect(last.type).toBe('error');
    expect(findSecrets(last.error, [gatewayToken])).toEqual([]);
  });
}
