// Bundles each package's ESM into one dist/index.js (tsc writes only the .d.ts files). One file
// instead of 15–25 modules cuts cold import time: Node's ESM loader pays per file (bench/RESULTS.md).
// Dependencies and peer dependencies stay external imports.
import { build } from 'esbuild';

const packages = ['core', 'testing', 'openai', 'anthropic', 'google', 'ollama'];

await Promise.all(
  packages.map((name) =>
    build({
      entryPoints: [`packages/${name}/src/index.ts`],
      outfile: `packages/${name}/dist/index.js`,
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'neutral',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    }),
  ),
);
