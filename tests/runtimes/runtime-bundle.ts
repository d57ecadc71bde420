// Bundles a runtime entry with esbuild, as an application for that runtime would be bundled:
// tokenwire's packages from their TypeScript sources (as vitest runs them), the vendor SDKs from
// the packages' own dependencies, with the runtime's export conditions.
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The runtimes the bundles are for. */
export type RuntimeTarget = 'workerd' | 'deno' | 'bun' | 'node';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `@tokenwire/<name>[/adapter|/internal]` → the package's TypeScript source. */
const tokenwireSources: Plugin = {
  name: 'tokenwire-sources',
  setup(build) {
    build.onResolve({ filter: /^@tokenwire\/[a-z]+(\/(adapter|internal|conformance))?$/ }, (args) => {
      const [, name, entry = 'index'] = /^@tokenwire\/([a-z]+)(?:\/([a-z]+))?$/.exec(args.path) ?? [];
      return { path: `${root}packages/${name}/src/${entry}.ts` };
    });
  },
};

/** `ollama` → `ollama/browser`, resolved where it is imported: what a Worker application aliases. */
const ollamaBrowser: Plugin = {
  name: 'ollama-browser',
  setup(build) {
    build.onResolve({ filter: /^ollama$/ }, (args) =>
      build.resolve('ollama/browser', { resolveDir: args.resolveDir, kind: args.kind }),
    );
  },
};

// The export conditions each runtime's own tooling resolves with: wrangler's for a Worker (with
// ollama's browser build, which an application aliases), Deno's and Bun's for npm packages.
const CONDITIONS: Readonly<Record<RuntimeTarget, string[]>> = {
  workerd: ['workerd', 'worker', 'browser'],
  deno: ['deno', 'worker', 'browser'],
  bun: ['bun', 'node'],
  node: ['node'],
};

/** Options of `bundleEntry`. */
export interface BundleOptions {
  /** Minify, as for a deployed Worker (the bundle-size budget). Default false. */
  minify?: boolean;
  /** Bundle the vendor SDKs too. Default true; false measures tokenwire's own code. */
  bundleSdks?: boolean;
}

/** The bundled entry as one ESM file's text. Throws esbuild's errors. */
export async function bundleEntry(
  entry: string,
  target: RuntimeTarget,
  options: BundleOptions = {},
): Promise<string> {
  const browserLike = target === 'workerd' || target === 'deno';
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: target === 'bun' || target === 'node' ? 'node' : 'browser',
    conditions: CONDITIONS[target],
    target: 'es2022',
    minify: options.minify ?? false,
    external: options.bundleSdks === false ? ['openai', '@anthropic-ai/sdk', '@google/genai', 'ollama'] : [],
    plugins: browserLike ? [tokenwireSources, ollamaBrowser] : [tokenwireSources],
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  return output.text;
}
