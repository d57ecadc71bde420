// Where tokenwire runs: Node, Bun, Deno, Cloudflare Workers (workerd) or a browser. Core reads no
// Node global on its streaming path; what needs Node asks `requireNodeRuntime` first, so that a
// Worker gets an error naming its runtime and the alternative instead of a ReferenceError.
import { TokenwireError } from '../model/errors.js';
import { processEnvironment } from './process-environment.js';

export { processEnvironment } from './process-environment.js';

/**
 * Environment variables by name: `process.env`, a Worker's `env` bindings, `Deno.env.toObject()`.
 * Only string values are read (a Worker's KV or service bindings beside them are ignored).
 */
export type Environment = Readonly<Record<string, unknown>>;

/** The JavaScript runtimes tokenwire tells apart. */
export type RuntimeName = 'node' | 'bun' | 'deno' | 'workerd' | 'browser' | 'unknown';

interface RuntimeGlobals {
  Bun?: unknown;
  Deno?: { version?: { deno?: string } };
  navigator?: { userAgent?: string };
  process?: { versions?: { node?: string } };
  document?: unknown;
}

/** The runtime this code runs on. Bun and Deno are told apart from Node, whose globals they also have. */
export function runtimeName(): RuntimeName {
  const globals = globalThis as RuntimeGlobals;
  if (globals.Bun !== undefined) return 'bun';
  if (globals.Deno?.version?.deno !== undefined) return 'deno';
  if (globals.navigator?.userAgent === 'Cloudflare-Workers') return 'workerd';
  if (typeof globals.process?.versions?.node === 'string') return 'node';
  if (globals.document !== undefined) return 'browser';
  return 'unknown';
}

/**
 * The string variables of `env` when given (a Worker's other bindings left out), else the process's
 * environment variables where they exist, else none.
 */
export function environmentOf(env: Environment | undefined): Readonly<Record<string, string | undefined>> {
  if (env === undefined) return processEnvironment();
  const strings: Record<string, string> = {};
  for (const name in env) {
    const value = env[name];
    if (typeof value === 'string') strings[name] = value;
  }
  return strings;
}

/** The value of an environment variable when it is a non-empty string, else undefined. */
export function environmentValue(env: Environment, name: string): string | undefined {
  const value = env[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const RUNTIME_TITLES: Readonly<Record<RuntimeName, string>> = {
  node: 'Node.js',
  bun: 'Bun',
  deno: 'Deno',
  workerd: 'Cloudflare Workers (workerd)',
  browser: 'a browser',
  unknown: 'a runtime without Node.js APIs',
};

/**
 * Throws a `configuration` TokenwireError when `feature` cannot run here: it needs Node's APIs
 * (`node:http`, `node:net`), which Node, Bun and Deno have and Workers and browsers do not. The
 * message names the runtime and `alternative`, what to use instead.
 *
 * @example requireNodeRuntime('gateway.listen()', 'export { fetch: gateway.fetch } as the Worker’s handler');
 */
export function requireNodeRuntime(feature: string, alternative: string): void {
  const runtime = runtimeName();
  if (runtime === 'node' || runtime === 'bun' || runtime === 'deno') return;
  throw new TokenwireError({
    code: 'configuration',
    message: `${feature} needs Node.js APIs, which ${RUNTIME_TITLES[runtime]} does not have: ${alternative}.`,
  });
}
