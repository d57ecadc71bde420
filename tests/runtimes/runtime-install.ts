// The runtimes the tests run in, from npm: Bun (`bun`), Deno (`deno`) and workerd through
// `miniflare`. Installed with npm on first use into a cache folder named by their versions (each
// package ships its binary inside a registry package: nothing else is downloaded), then reused.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The pinned versions; a change installs a new cache folder. */
export const RUNTIME_VERSIONS = { bun: '1.4.5', deno: '2.9.6', miniflare: '4.20260730.0' } as const;

/** Where the runtimes are: two binaries and miniflare's package folder. */
export interface InstalledRuntimes {
  bun: string;
  deno: string;
  /** The folder whose node_modules holds miniflare (and its workerd). */
  folder: string;
}

/** The cache folder: TOKENWIRE_RUNTIMES_DIR, else ~/.cache/tokenwire/runtimes-<versions>. */
export function runtimesFolder(): string {
  const versions = Object.entries(RUNTIME_VERSIONS)
    .map(([name, version]) => `${name}${version}`)
    .join('-');
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return process.env.TOKENWIRE_RUNTIMES_DIR ?? join(cache, 'tokenwire', `runtimes-${versions}`);
}

/**
 * Makes sure Bun, Deno and miniflare are installed in the cache folder (`npm install`, about ten
 * seconds the first time) and returns where they are. Test files that ask at once wait for the one
 * that installs (a lock folder beside the cache). Rejects with npm's last lines when it fails.
 */
export async function installRuntimes(): Promise<InstalledRuntimes> {
  const folder = runtimesFolder();
  const bin = join(folder, 'node_modules', '.bin');
  const installed: InstalledRuntimes = { bun: join(bin, 'bun'), deno: join(bin, 'deno'), folder };
  const miniflare = join(folder, 'node_modules', 'miniflare', 'package.json');
  const ready = () => [installed.bun, installed.deno, miniflare].every((path) => existsSync(path));
  const lock = `${folder}.lock`;
  for (let waited = 0; !ready(); waited += 500) {
    await mkdir(dirname(lock), { recursive: true });
    const locked = await mkdir(lock).then(
      () => true,
      () => false,
    );
    if (locked) {
      try {
        if (!ready()) await npmInstall(folder);
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
    } else if (waited > 300_000) {
      throw new Error(
        `the runtimes in ${folder} were not installed within 5 minutes: remove ${lock} if no test runs`,
      );
    } else {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return installed;
}

async function npmInstall(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const dependencies = Object.fromEntries(Object.entries(RUNTIME_VERSIONS));
  await writeFile(join(folder, 'package.json'), JSON.stringify({ private: true, dependencies }, null, 2));
  console.log(`installing ${Object.keys(RUNTIME_VERSIONS).join(', ')} from npm into ${folder}…`);
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: folder,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const detail = String((error as { stderr?: unknown }).stderr ?? error)
      .trim()
      .split('\n')
      .slice(-3);
    throw new Error(`installing the runtimes with npm in ${folder} failed: ${detail.join(' ')}`);
  }
}
