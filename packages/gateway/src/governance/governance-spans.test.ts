import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { openTelemetry } from '@tokenwire/otel';
import { createReplayServer, findSecrets, type ReplayServer, scriptedReply } from '@tokenwire/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createKey,
  type GovernedFixture,
  MASTER_KEY,
  startGoverned,
  UPSTREAM_KEY,
} from './governance.test-helpers.js';

// The spans a governed gateway's traffic makes, exported through the real OpenTelemetry SDK with
// content captured: neither the virtual key, nor the master key, nor the provider key is in them.

const exporter = new InMemorySpanExporter();
let upstream: ReplayServer;
let fixture: GovernedFixture;
beforeAll(async () => {
  upstream = await createReplayServer();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  fixture = await startGoverned(upstream, {}, {}, [openTelemetry({ tracerProvider, captureContent: true })]);
}, 60_000);
afterAll(async () => {
  await fixture.close();
  await upstream.close();
});

it('keeps every key out of the spans of answered, refused and failed requests', async () => {
  const { key } = await createKey(fixture.server, { budget: { usd: 10 } });
  const client = new OpenAI({ apiKey: key, baseURL: `${fixture.server.url}/v1`, maxRetries: 0 });
  upstream.enqueue(
    scriptedReply({ text: 'Hello there' }),
    { status: 401, echoCredentials: true },
    scriptedReply({ text: 'Streamed' }),
  );
  await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
  await expect(
    client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }),
  ).rejects.toMatchObject({ status: 401 });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o',
    stream: true,
    messages: [{ role: 'user', content: 'Hi' }],
  });
  for await (const _chunk of stream) {
  }
  const spans = exporter.getFinishedSpans();
  expect(spans.filter((span) => span.name.startsWith('chat '))).toHaveLength(3);
  const exported = spans.map((span) => ({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
  }));
  // Content is captured (the prompt is in the spans), so a key would be too if it reached them.
  expect(JSON.stringify(exported)).toContain('Hello there');
  expect(findSecrets(exported, [key, MASTER_KEY, UPSTREAM_KEY])).toEqual([]);
});
