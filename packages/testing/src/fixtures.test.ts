import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFixture, recordFixture } from './fixtures.js';
import { createReplayServer } from './replay-server.js';
import { openaiChatScenarios } from './scenarios/openai-chat.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tokenwire-fixture-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true });
});

describe('fixtures', () => {
  it('reads one JSON payload per non-empty line', async () => {
    const path = join(directory, 'x.chunks.txt');
    await writeFile(path, '{"a":1}\n\n{"b":[2]}\r\n');
    expect(await readFixture(path)).toEqual([{ a: 1 }, { b: [2] }]);
  });

  it('names the line that is not JSON, or skips it when asked', async () => {
    const path = join(directory, 'bad.chunks.txt');
    await writeFile(path, '{"a":1}\n{"b":\n');
    await expect(readFixture(path)).rejects.toThrow(/line 2 of .*bad\.chunks\.txt is not JSON/);
    expect(await readFixture(path, { skipInvalidLines: true })).toEqual([{ a: 1 }]);
  });

  it('records a stream to the fixture format and reads it back', async () => {
    const path = join(directory, 'recorded.chunks.txt');
    async function* chunks() {
      yield { id: 1, text: '你好' };
      yield { id: 2, extra: 'drop me' };
    }
    await recordFixture(chunks(), path, {
      transform: (chunk) => ({ ...(chunk as object), extra: undefined }),
    });
    expect(await readFile(path, 'utf8')).toBe('{"id":1,"text":"你好"}\n{"id":2}\n');
    expect(await readFixture(path)).toEqual([{ id: 1, text: '你好' }, { id: 2 }]);
  });

  it('records a live SDK stream so that it replays as it was recorded', async () => {
    // The "live" stream comes from the replay server here; with a real key it is the provider.
    const server = await createReplayServer({ scripts: [{ payloads: openaiChatScenarios.text.payloads }] });
    try {
      const client = new OpenAI({ apiKey: 'test-key', baseURL: `${server.url}/v1`, maxRetries: 0 });
      const path = join(directory, 'openai-text.chunks.txt');
      const stream = await client.chat.completions.create({
        model: 'test-model',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      });
      await recordFixture(stream, path);
      expect(await readFixture(path)).toEqual(openaiChatScenarios.text.payloads);
    } finally {
      await server.close();
    }
  });
});
