import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Makes sure a Debian package is installed, for tests that need a real engine (redis-server,
 * chromium): when `binary` is missing and this runs as root on Linux with apt-get, runs
 * `apt-get install -y --no-install-recommends <name>` (after `apt-get update` if the first try
 * fails). Resolves with why it cannot be, or undefined once `binary` is there.
 */
export async function installDebianPackage(name: string, binary: string): Promise<string | undefined> {
  if (existsSync(binary)) return undefined;
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    return `${binary} is missing and cannot be installed here (needs root and apt-get): run "apt-get install -y ${name}"`;
  }
  console.log(`installing Debian’s ${name} for the tests that need it (apt-get)…`);
  const options = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', name], options);
  try {
    await install().catch(async () => {
      await run('apt-get', ['update'], options);
      await install();
    });
  } catch (error) {
    const detail = String((error as { stderr?: unknown }).stderr ?? error)
      .trim()
      .split('\n')
      .slice(-3)
      .join(' ');
    return `installing ${name} with apt-get failed: ${detail}`;
  }
  return existsSync(binary) ? undefined : `apt-get installed ${name}, but ${binary} is missing`;
}
