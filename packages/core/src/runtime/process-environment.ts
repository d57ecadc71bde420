// Imports nothing, so that the model's redaction can read the environment without a cycle.

interface ProcessGlobals {
  process?: { env?: Record<string, string | undefined> };
  Deno?: { permissions?: { querySync?(descriptor: { name: 'env' }): { state: string } } };
}

/**
 * The process's environment variables where there is a `process` (Node, Bun, Deno) and reading it
 * is allowed, else none: Deno without `--allow-env` throws on every read of `process.env`.
 */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  const globals = globalThis as ProcessGlobals;
  const permissions = globals.Deno?.permissions;
  if (permissions?.querySync !== undefined && permissions.querySync({ name: 'env' }).state !== 'granted')
    return {};
  return globals.process?.env ?? {};
}
