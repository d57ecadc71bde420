// Node's modules through process.getBuiltinModule (Node 20.16+, Bun, Deno), never a static
// `node:` import: a Worker's bundle of this package must load, and there the direct transport
// gives way to the SDK's own event-stream reading (see `canReadBodyDirectly`).
type NodeModule = typeof import('node:module');
type NodeStream = typeof import('node:stream');

interface BuiltinModules {
  getBuiltinModule?(id: 'node:module'): NodeModule | undefined;
  getBuiltinModule?(id: 'node:stream'): NodeStream | undefined;
}

let load: NodeJS.Require | undefined;

function builtin<Id extends 'node:module' | 'node:stream'>(
  id: Id,
): (Id extends 'node:module' ? NodeModule : NodeStream) | undefined {
  const process = (globalThis as { process?: BuiltinModules }).process;
  return process?.getBuiltinModule?.(id as 'node:module') as never;
}

/** True where the SDK's own modules can be required (Node, Bun, Deno): the direct transport's codec and HTTP handler. */
export function canRequireSdkModules(): boolean {
  return builtin('node:module') !== undefined;
}

/**
 * `require` as `@aws-sdk/client-bedrock-runtime` itself resolves: the SDK's own copies of
 * `@smithy/node-http-handler` and `@smithy/core`, which it has already loaded (CommonJS), so this
 * costs a cache lookup, adds no dependency of this package's own, and no second copy. Called when
 * the first client or direct stream is made, never at import (an ESM `import` of those modules would
 * lex them again for their exports: about 15 ms of the cold import). A bundle that has no
 * node_modules beside it finds the SDK from the application's folder (`process.cwd()`).
 */
export function sdkRequire(name: string): unknown {
  if (load === undefined) {
    const nodeModule = builtin('node:module');
    if (nodeModule === undefined) throw new Error(`${name} cannot be required here: node:module is missing`);
    const sdk = '@aws-sdk/client-bedrock-runtime';
    let resolved: string;
    try {
      resolved = nodeModule.createRequire(import.meta.url).resolve(sdk);
    } catch (error) {
      if (typeof globalThis.process?.cwd !== 'function') throw error;
      resolved = nodeModule.createRequire(`${process.cwd()}/`).resolve(sdk);
    }
    load = nodeModule.createRequire(resolved);
  }
  return load(name);
}

/** An empty body of the same kind as `body`: a web stream for a web stream, else a Node stream. */
export function emptyBodyLike(body: unknown): unknown {
  if (body instanceof ReadableStream)
    return new ReadableStream({ start: (controller) => controller.close() });
  return builtin('node:stream')?.Readable.from([]);
}
