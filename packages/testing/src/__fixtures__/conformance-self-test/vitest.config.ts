import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The child vitest run of conformance-self-test.test.ts: the suite against broken adapters.
const source = (file: string) => fileURLToPath(new URL(`../../../../${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@tokenwire\/core$/, replacement: source('core/src/index.ts') },
      { find: /^@tokenwire\/core\/adapter$/, replacement: source('core/src/adapter.ts') },
      { find: /^@tokenwire\/core\/internal$/, replacement: source('core/src/internal.ts') },
      { find: /^@tokenwire\/testing$/, replacement: source('testing/src/index.ts') },
      { find: /^@tokenwire\/testing\/conformance$/, replacement: source('testing/src/conformance.ts') },
    ],
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.conformance.ts'],
    testTimeout: 20_000,
  },
});
