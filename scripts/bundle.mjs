// Bundles each package's ESM into one file per entry point, dist/index.js and the like (tsc writes
// only the .d.ts files). One file instead of 15–25 modules cuts cold import time: Node's ESM loader
// pays per file (bench/RESULTS.md).
// Dependencies and peer dependencies stay external imports.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Each package's entry points (its `exports` map); several share their code through split chunks.
const entries = {
  core: ['index', 'adapter', 'internal'],
  testing: ['index', 'conformance', 'internal'],
  openai: ['index', 'internal'],
  anthropic: ['index', 'internal'],
  google: ['index', 'internal'],
  ollama: ['index', 'internal'],
  bedrock: ['index', 'internal'],
  otel: ['index'],
  redis: ['index'],
  gateway: ['index', 'cli'],
  mcp: ['index'],
  react: ['index', 'client'],
};

// Split chunks are named by content hash: remove the previous build's before writing new ones.
for (const name of Object.keys(entries)) {
  const dist = `packages/${name}/dist`;
  if (!existsSync(dist)) continue;
  for (const file of readdirSync(dist)) if (file.startsWith('shared-')) rmSync(`${dist}/${file}`);
}

await Promise.all(
  Object.entries(entries).map(([name, files]) =>
    build({
      entryPoints: files.map((file) => `packages/${name}/src/${file}.ts`),
      outdir: `packages/${name}/dist`,
      splitting: files.length > 1,
      chunkNames: 'shared-[hash]',
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
