import { createRequire } from 'node:module';

let load: NodeJS.Require | undefined;

/**
 * `require` as `@aws-sdk/client-bedrock-runtime` itself resolves: the SDK's own copies of
 * `@smithy/node-http-handler` and `@smithy/core`, which it has already loaded (CommonJS), so this
 * costs a cache lookup, adds no dependency of this package's own, and no second copy. Called when
 * the first client or direct stream is made, never at import (an ESM `import` of those modules would
 * lex them again for their exports: about 15 ms of the cold import).
 */
export function sdkRequire(name: string): unknown {
  if (load === undefined) {
    const here = createRequire(import.meta.url);
    load = createRequire(here.resolve('@aws-sdk/client-bedrock-runtime'));
  }
  return load(name);
}
