import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = ['core', 'testing', 'openai', 'anthropic', 'google', 'ollama'];

// Tests import workspace packages from their TypeScript sources, so `vitest` needs no build first.
const alias = Object.fromEntries(
  packages.map((name) => [
    `@tokenwire/${name}`,
    fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
  ]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    projects: packages.map((name) => ({
      resolve: { alias },
      test: {
        name,
        root: `./packages/${name}`,
        include: ['src/**/*.test.ts'],
        testTimeout: 20_000,
      },
    })),
  },
});
