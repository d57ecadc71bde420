import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installDebianPackage } from './debian-package.js';
import { freePort } from './free-port.js';

/** Where Debian's `redis-server` package puts the server. */
export const REDIS_SERVER_PATH = '/usr/bin/redis-server';

/** A redis-server of a test: on a loopback port, in a temporary folder, with no persistence. */
export interface RedisTestServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Kills the server at once (SIGKILL), as a crash would; `start()` brings it back on the same port, empty. */
  kill(): Promise<void>;
  /** Starts the server again after `kill()`, on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

/**
 * Makes sure Debian's `redis-server` is installed (`installDebianPackage`, as the examples' browser
 * test installs chromium). Resolves with why it cannot be, or undefined once it is there.
 */
export function installRedisServer(): Promise<string | undefined> {
  return installDebianPackage('redis-server', REDIS_SERVER_PATH);
}

/**
 * Starts a redis-server (installing it first if needed) on a free loopback port, in a temporary
 * folder, without persistence (no RDB, no AOF). Rejects when it cannot be installed or started.
 */
export async function startRedisServer(): Promise<RedisTestServer> {
  const missing = await installRedisServer();
  if (missing !== undefined) throw new Error(missing);
  const directory = mkdtempSync(join(tmpdir(), 'tokenwire-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = await launch(port, directory);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    close: async () => {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function launch(port: number, directory: string): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    directory,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  const child = spawn(REDIS_SERVER_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not get ready within 10 s:\n${output}`));
    }, 10_000);
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      resolve(child);
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
    });
  });
}
