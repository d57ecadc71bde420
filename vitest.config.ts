import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { PACKAGES } from './scripts/packages.mjs';

// Every published package is a test project (the list pack:all and check:packages use).
const packages = PACKAGES;

// Tests import workspace packages from their TypeScript sources, so `vitest` needs no build first.
const source = (file: string) => fileURLToPath(new URL(`./packages/${file}`, import.meta.url));
const alias = [
  { find: /^@tokenwire\/testing\/conformance$/, replacement: source('testing/src/conformance.ts') },
  { find: /^@tokenwire\/core\/adapter$/, replacement: source('core/src/adapter.ts') },
  ...packages.map((name) => ({
    find: new RegExp(`^@tokenwire/${name}/internal$`),
    replacement: source(`${name}/src/internal.ts`),
  })),
  ...packages.map((name) => ({
    find: new RegExp(`^@tokenwire/${name}$`),
    replacement: source(`${name}/src/index.ts`),
  })),
];

// The AWS SDK warns once per process that its 2027 releases need Node 22; the packages' README
// explains it (Node 20 stays supported by the versions in the peer range). Not repeated per test file.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...packages.map((name) => ({
        resolve: { alias },
        test: {
          name,
          root: `./packages/${name}`,
          include: ['src/**/*.test.ts'],
          env,
          testTimeout: 20_000,
          // The Redis tests install Debian's redis-server when it is missing (apt-get, a minute).
          ...(name === 'redis' ? { hookTimeout: 300_000 } : {}),
        },
      })),
      {
        // Tests that need every adapter at once: the soak of all wire paths under random faults.
        resolve: { alias },
        test: { name: 'integration', root: './tests', include: ['**/*.test.ts'], env, testTimeout: 120_000 },
      },
      {
        // The examples run as a user runs them (tsx, on the packages' built dist) against the replay
        // server; the browser test installs Debian's chromium when it is missing (see global-setup.ts).
        resolve: { alias },
        test: {
          name: 'examples',
          root: './examples',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['./lib/global-setup.ts'],
          env,
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
