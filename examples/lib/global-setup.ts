/**
 * Setup of the examples' tests: checks that the packages are built, makes sure Debian's chromium
 * (for the browser tests) and redis-server (for the replicas' tests) are installed (`apt-get
 * install` when running as root; nothing is downloaded otherwise), and tells the tests whether
 * they are there, or why not.
 */
import { existsSync } from 'node:fs';
import { installDebianPackage, installRedisServer } from '@tokenwire/testing/internal';
import type { TestProject } from 'vitest/node';

/** Where the browser test expects Debian's chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the browser test cannot run, or undefined when chromium is installed. */
    chromiumMissing: string | undefined;
    /** Why the replicas' tests cannot run, or undefined when redis-server is installed. */
    redisMissing: string | undefined;
  }
}

function installChromium(): Promise<string | undefined> {
  return installDebianPackage('chromium', CHROMIUM_PATH);
}

export default async function setup(project: TestProject): Promise<void> {
  // The examples run on the packages' built dist, as a user's code would.
  for (const name of ['core', 'testing', 'openai', 'anthropic', 'google', 'ollama', 'redis']) {
    if (!existsSync(new URL(`../../packages/${name}/dist/index.js`, import.meta.url))) {
      throw new Error(
        `packages/${name}/dist is missing: run "npx --yes pnpm@10 build" before the examples' tests.`,
      );
    }
  }
  const missing = await installChromium();
  if (missing !== undefined) console.warn(`examples: the browser test is skipped: ${missing}`);
  project.provide('chromiumMissing', missing);
  // The replicas' tests run two replicas on one Redis: Debian's redis-server, installed like chromium.
  const redisMissing = await installRedisServer();
  if (redisMissing !== undefined) console.warn(`examples: the replicas' tests are skipped: ${redisMissing}`);
  project.provide('redisMissing', redisMissing);
}
