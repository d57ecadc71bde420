import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../model/types.js';
import { parseSSE, toSSE } from '../sse/sse.js';
import { createTokenwire } from './create-tokenwire.js';
import { collectEvents, scriptedAdapter, typesOf } from './scripted-adapter.test-helpers.js';

const image = { type: 'file', mediaType: 'image/png', data: 'iVBORw0KGgo=' } as const;

function tokenwire() {
  const adapter = scriptedAdapter([
    { type: 'text', delta: 'Here it is:' },
    image,
    { type: 'finish', reason: 'stop' },
  ]);
  return createTokenwire({ providers: { mock: adapter }, retries: 0 });
}

describe('files the model returns', () => {
  it('reach the consumer as a file event, in order', async () => {
    const events = await collectEvents(
      tokenwire().stream({ model: 'mock/m', messages: [{ role: 'user', content: 'Draw' }] }),
    );
    expect(typesOf(events)).toEqual(['start', 'token', 'file', 'finish']);
    expect(events[2]).toEqual(image);
  });

  it('cross tokenwire’s SSE wire whole', async () => {
    const stream = tokenwire().stream({ model: 'mock/m', messages: [{ role: 'user', content: 'Draw' }] });
    const events: StreamEvent[] = [];
    for await (const event of parseSSE(toSSE(stream))) events.push(event);
    expect(events.filter((event) => event.type === 'file')).toEqual([image]);
  });
});
