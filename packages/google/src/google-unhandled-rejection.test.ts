import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTokenwire, type StreamEvent } from '@tokenwire/core';
import { collect, createReplayServer, geminiScenarios, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAdapter } from './google-adapter.js';

// The legacy SDK tees the response body into `result.stream` and `result.response`. When the
// stream fails or is aborted, `response` rejects as well; nobody awaits it, so Node reports an
// unhandled rejection, which crashes a process under Node's default --unhandled-rejections=throw.
const TEXT = geminiScenarios.text.payloads;

describe('a failed @google/generative-ai stream (transport sdk), in this process', () => {
  let server: ReplayServer;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeEach(async () => {
    server = await createReplayServer();
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onRejection);
    await server.close();
  });

  const stream = () =>
    createTokenwire({
      providers: {
        google: createGoogleAdapter({
          apiKey: 'key',
          baseURL: server.url,
          sdk: 'generative-ai',
          transport: 'sdk',
        }),
      },
      retries: 0,
    }).stream({ model: 'google/m', messages: [{ role: 'user', content: 'Hi' }] });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('leaves no unhandled rejection when the socket is destroyed mid-stream, when aborted, or on SSE comments', async () => {
    server.enqueue({ payloads: TEXT, destroyAfter: 2 });
    const destroyed = (await collect(stream())).at(-1);

    server.enqueue({ payloads: TEXT, stallAfter: 2 });
    const cancelled: StreamEvent[] = [];
    const tokenwireStream = stream();
    for await (const event of tokenwireStream) {
      cancelled.push(event);
      if (event.type === 'token') tokenwireStream.cancel();
    }
    await server.waitForClientClose();

    server.enqueue({ payloads: TEXT, keepAlive: true });
    const unparsable = (await collect(stream())).at(-1);
    await settle();

    expect([
      destroyed?.type === 'error' && destroyed.error.code,
      cancelled.at(-1)?.type === 'finish' && (cancelled.at(-1) as { reason: string }).reason,
      unparsable?.type === 'error' && unparsable.error.code,
      rejections,
    ]).toEqual(['connection', 'cancelled', 'invalid_response', []]);
  });
});

// The same check in a separate, plain `node` process (default --unhandled-rejections=throw), which
// is what a user's server runs. Node 20 cannot import TypeScript, so the child imports the built
// dist; it runs when dist is up to date with src (as after `pnpm build`, which `pnpm test` runs).
const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./legacy-stream-failure.child.mjs', import.meta.url));

/** Sources newer than the package's last build (what `tsc --build` itself compares). */
function staleSources(packageDirectory: string): string[] {
  const buildInfo = `${packageDirectory}/dist/.tsbuildinfo`;
  const builtAt = existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : 0;
  return readdirSync(`${packageDirectory}/src`)
    .filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-helpers.ts'),
    )
    .filter((name) => statSync(`${packageDirectory}/src/${name}`).mtimeMs > builtAt);
}
const stale = [...staleSources(PACKAGE), ...staleSources(`${PACKAGE}/../core`)];

function runChild(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, mode], { cwd: PACKAGE, timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(stale.length > 0)(
  `a failed @google/generative-ai stream, in a plain node child process${stale.length > 0 ? ` (skipped: the build is older than ${stale.join(', ')}; run pnpm build)` : ''}`,
  () => {
    it('crashes the process when the SDK is used without handling result.response (the control)', async () => {
      const { code, stderr } = await runChild('raw-destroy');
      expect([code, stderr.includes('Error reading from the stream')]).toEqual([1, true]);
    });

    it('does not crash through the adapter when the socket is destroyed mid-stream', async () => {
      expect(await runChild('adapter-destroy')).toMatchObject({
        code: 0,
        stdout: 'outcome: error connection\n',
      });
    });

    it('does not crash through the adapter when the stream is cancelled', async () => {
      expect(await runChild('adapter-abort')).toMatchObject({
        code: 0,
        stdout: 'outcome: finish cancelled\n',
      });
    });
  },
);
