import { describe, expect, it } from 'vitest';
import { TokenwireError } from '../model/errors.js';
import { createTokenwire } from './create-tokenwire.js';
import { collectEvents, scriptedAdapter } from './scripted-adapter.test-helpers.js';
import { TokenStreamer } from './token-streamer.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];
const client = () =>
  createTokenwire({
    providers: {
      mock: scriptedAdapter([
        { type: 'text', delta: 'Hello' },
        { type: 'finish', reason: 'stop' },
      ]),
    },
  });

describe('a stream is consumed once', () => {
  it('throws a TokenwireError saying so when iterated a second time', async () => {
    const stream = client().stream({ model: 'mock/m', messages });
    expect((await collectEvents(stream)).map((event) => event.type)).toEqual(['start', 'token', 'finish']);
    let thrown: unknown;
    try {
      for await (const _event of stream) {
        // never reached
      }
    } catch (error) {
      thrown = error;
    }
    expect(TokenwireError.isInstance(thrown)).toBe(true);
    expect((thrown as TokenwireError).message).toContain('already iterated');
  });

  it('throws for a second iteration after a break, too', async () => {
    const stream = client().stream({ model: 'mock/m', messages });
    for await (const _event of stream) break;
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/consumed once/);
  });

  it('gives the same finish from result() any number of times, before and after iterating', async () => {
    const stream = client().stream({ model: 'mock/m', messages });
    const early = stream.result();
    await collectEvents(stream);
    const [first, second] = await Promise.all([early, stream.result()]);
    expect(first).toBe(second);
    expect(first.content).toBe('Hello');
    await expect(stream.result()).resolves.toBe(first);
  });

  it('settles every result() called before the end', async () => {
    const stream = client().stream({ model: 'mock/m', messages });
    const [first, second] = await Promise.all([stream.result(), stream.result()]);
    expect(first).toBe(second);
  });

  it('rejects result() with the same error every time', async () => {
    const stream = createTokenwire().stream({ model: 'not-a-model-string', messages });
    const first = await stream.result().catch((error: unknown) => error);
    const second = await stream.result().catch((error: unknown) => error);
    expect(first).toBe(second);
    expect(first).toMatchObject({ code: 'configuration' });
  });
});

describe('TokenStreamer with a bad model string', () => {
  it('does not throw in the constructor: streamCompletion reports it like any stream error', async () => {
    const streamer = new TokenStreamer({ model: 'gpt-4.1', apiKey: 'sk-test-123456' });
    const chunks: unknown[] = [];
    let thrown: unknown;
    try {
      for await (const chunk of streamer.streamCompletion(messages)) chunks.push(chunk);
    } catch (error) {
      thrown = error;
    }
    expect(chunks).toEqual([]);
    expect(thrown).toMatchObject({ code: 'configuration' });
    expect((thrown as Error).message).toContain("not a 'provider/model' string");
  });
});
