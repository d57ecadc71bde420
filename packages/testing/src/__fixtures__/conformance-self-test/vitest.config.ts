import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The child vitest run of conformance-self-test.test.ts: the suite against broken adapters.
const source = (name: string) => fileURLToPath(new URL(`../../../../${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: { alias: { '@tokenwire/core': source('core'), '@tokenwire/testing': source('testing') } },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.conformance.ts'],
    testTimeout: 20_000,
  },
});
