import { processEnvironment } from './process-environment.js';

const NODE_FS = 'node:fs';
const NODE_PATH = 'node:path';

/** The package managers whose install command a hint can name. */
type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

const ADD: Readonly<Record<PackageManager, string>> = {
  npm: 'npm install',
  pnpm: 'pnpm add',
  yarn: 'yarn add',
  bun: 'bun add',
};

// The lock file of each package manager, in the order they are looked for.
const LOCK_FILES: ReadonlyArray<[string, PackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
];

/**
 * The command that installs `packages` with the package manager in use: the one running the
 * script (`npm_config_user_agent`), else the one whose lock file is in the application's folder,
 * else npm. `npm install @tokenwire/openai openai`, `pnpm add …`, `yarn add …`, `bun add …`.
 */
export async function installCommand(packages: readonly string[]): Promise<string> {
  return `${ADD[await packageManager()]} ${packages.join(' ')}`;
}

async function packageManager(): Promise<PackageManager> {
  const environment = processEnvironment();
  const agent = /^(npm|pnpm|yarn|bun)\//.exec(environment?.npm_config_user_agent ?? '')?.[1];
  if (agent !== undefined) return agent as PackageManager;
  if (typeof globalThis.process?.cwd !== 'function') return 'npm';
  try {
    // Names a bundler does not follow (a Worker's bundle has no node:fs; it returned above).
    const { existsSync } = (await import(NODE_FS)) as typeof import('node:fs');
    const { join } = (await import(NODE_PATH)) as typeof import('node:path');
    const directory = process.cwd();
    for (const [file, manager] of LOCK_FILES) if (existsSync(join(directory, file))) return manager;
  } catch {
    // not Node: npm is the safest guess
  }
  return 'npm';
}
