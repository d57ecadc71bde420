import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installDebianPackage } from './debian-package.js';
import { freePort } from './free-port.js';

// A real Postgres for the tests, from Debian's `postgresql` package (installed when missing, as the
// Redis tests install redis-server): initdb in a temporary folder, on a free loopback port, trust
// auth, no fsync. Postgres refuses to run as root: as root, it runs as the package's `postgres` user.

/** A running test Postgres. */
export interface PostgresTestServer {
  /** `postgres://tokenwire@127.0.0.1:PORT/postgres`. */
  url: string;
  /** Stops the server (fast shutdown) and removes its folder. */
  close(): Promise<void>;
}

function binDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((left, right) => Number(right) - Number(left));
  const found = versions.find((version) => existsSync(join(root, version, 'bin', 'postgres')));
  return found === undefined ? undefined : join(root, found, 'bin');
}

/** Installs Debian's postgresql when no server binary is there; resolves with its bin folder. */
async function postgresBin(): Promise<string> {
  let bin = binDirectory();
  if (bin !== undefined) return bin;
  // The version in the path is Debian's (15 on bookworm); any version found afterwards will do.
  const missing = await installDebianPackage('postgresql', '/usr/lib/postgresql/15/bin/postgres');
  bin = binDirectory();
  if (bin === undefined)
    throw new Error(missing ?? 'apt-get installed postgresql, but no server binary was found');
  return bin;
}

function userIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * Starts a Postgres from Debian's `postgresql` package (installed first when missing, needs root
 * and apt-get) on a free loopback port, in a temporary folder, with trust auth and no fsync.
 * Rejects when it cannot be installed or started.
 */
export async function startPostgresServer(): Promise<PostgresTestServer> {
  const bin = await postgresBin();
  const ids = userIds();
  const directory = mkdtempSync(join(tmpdir(), 'tokenwire-postgres-'));
  if (ids !== undefined) chownSync(directory, ids.uid, ids.gid);
  const data = join(directory, 'data');
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'tokenwire', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    {
      stdio: 'ignore',
      cwd: directory,
      ...ids,
    },
  );
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', directory, '-c', 'listen_addresses=127.0.0.1'];
  args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const child = spawn(join(bin, 'postgres'), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: directory,
    ...ids,
  });
  await ready(child);
  return {
    url: `postgres://tokenwire@127.0.0.1:${port}/postgres`,
    async close() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGINT'); // fast shutdown
        });
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function ready(child: ChildProcess): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`postgres did not get ready within 30 s:\n${output}`));
    }, 30_000);
    const read = (text: string) => {
      output += text;
      if (!output.includes('ready to accept connections')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.setEncoding('utf8').on('data', read);
    child.stderr?.setEncoding('utf8').on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited with ${code} before it was ready:\n${output}`));
    });
  });
}
