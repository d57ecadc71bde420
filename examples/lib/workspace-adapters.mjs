/**
 * Only inside this monorepo: lets @tokenwire/core find the adapter packages the examples depend
 * on. core loads `@tokenwire/<provider>` on first use with `import()`, which resolves from core's
 * own folder; here core is a workspace link (packages/core), whose folders do not hold the
 * examples' dependencies. In an application, npm and pnpm install core and the adapters side by
 * side, so nothing like this is needed. Use: `tsx --import ./lib/workspace-adapters.mjs file.ts`.
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

// This file is loaded twice: as the `--import` module, which registers it, and as the hooks.
if (isMainThread) register(import.meta.url);

const examplesPackage = new URL('../package.json', import.meta.url).href;

/** Resolves a `@tokenwire/*` import that fails where it is made from the examples package instead. */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@tokenwire/')) throw error;
    return nextResolve(specifier, { ...context, parentURL: examplesPackage });
  }
}
