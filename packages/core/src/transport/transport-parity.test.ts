import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../model/types.js';
import type { TokenwireHooks } from '../observe/hook-types.js';
import { createTokenwire } from '../runtime/create-tokenwire.js';
import { collectEvents } from '../runtime/scripted-adapter.test-helpers.js';
import type { Sent } from './adapter-parts.js';
import { defineAdapter } from './define-adapter.js';
import { END_OF_STREAM } from './wire.js';

// One answer, given by a vendor in two ways: a 200 body whose records all arrive in ONE read
// (direct), or the SDK's parsed chunks one at a time (sdk). The hooks and events must not differ.

type Chunk = { text: string };
const pieces = ['{"city":', ' "Par', 'is", "tags": ["a"', ', "b"]', '}'];

function body(): ReadableStream<Uint8Array> {
  const sse = `${pieces.map((text) => `data: ${JSON.stringify({ text })}\n\n`).join('')}data: [DONE]\n\n`;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(sse)); // the whole stream: one network read
      controller.close();
    },
  });
}

async function* sdkChunks(): AsyncGenerator<Chunk> {
  for (const text of pieces) yield { text };
}

const vendorAdapter = (transport: 'direct' | 'sdk') =>
  defineAdapter({
    name: 'acme',
    provider: 'acme',
    settings: { transport },
    settingKinds: { transport: ['direct', 'sdk'] },
    client: () => ({}),
    async send(_client, _request, context): Promise<Sent<Chunk>> {
      if (context.transport === 'sdk') return { chunks: sdkChunks() };
      return { body: body(), headers: new Headers({ 'content-type': 'text/event-stream' }) };
    },
    wire: 'sse',
    record: (record) => (record.data === '[DONE]' ? END_OF_STREAM : (JSON.parse(record.data) as Chunk)),
    translator: {
      start: () => ({}),
      translate(chunk, _state, out) {
        out.push({ type: 'text', delta: chunk.text });
        return false;
      },
      end: (_state, out) => out.push({ type: 'finish', reason: 'stop' }),
    },
    normalizeError: () => undefined,
  });

async function run(transport: 'direct' | 'sdk') {
  const hookCalls: string[] = [];
  const hooks: TokenwireHooks = {
    onFirstContent: () => hookCalls.push('onFirstContent'),
    onFinish: (event) =>
      hookCalls.push(`onFinish ttfc=${typeof event.timeToFirstContentMs === 'number' ? 'set' : 'missing'}`),
  };
  const tokenwire = createTokenwire({ providers: { acme: vendorAdapter(transport) }, hooks: [hooks] });
  const events: StreamEvent[] = await collectEvents(
    tokenwire.stream({
      model: 'acme/m',
      messages: [{ role: 'user', content: 'Where?' }],
      responseFormat: { type: 'json' },
    }),
  );
  const partials = events.flatMap((event) => (event.type === 'partial_object' ? [event.object] : []));
  return { hookCalls, partials };
}

describe.each(['direct', 'sdk'] as const)(
  'hooks and partial objects on %s, however the reads fall',
  (transport) => {
    it('reports the first content when it arrives in the same read as the end', async () => {
      const { hookCalls } = await run(transport);
      expect(hookCalls).toEqual(['onFirstContent', 'onFinish ttfc=set']);
    });

    it('gives one partial_object per record that changed it, each what had arrived by then', async () => {
      const { partials } = await run(transport);
      expect(partials).toEqual([
        {},
        { city: 'Par' },
        { city: 'Paris', tags: ['a'] },
        { city: 'Paris', tags: ['a', 'b'] },
      ]);
    });
  },
);

it('gives the same partial objects on both transports', async () => {
  const [direct, sdk] = await Promise.all([run('direct'), run('sdk')]);
  expect(direct.partials).toEqual(sdk.partials);
});
