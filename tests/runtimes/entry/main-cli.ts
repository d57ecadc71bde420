// The entry of the Deno and Bun bundles: the plan is the first argument, the results go to stdout.
import { type RuntimeCase, runCases, TEST_ENV } from './runtime-cases.js';

/** The line before the results, so that a runtime's own output cannot be taken for them. */
export const RESULTS_MARKER = '--tokenwire-runtime-results--';

interface CliGlobals {
  Deno?: { args: string[]; exit(code: number): never };
  Bun?: { argv: string[] };
  process?: { exit(code: number): never };
}

const globals = globalThis as CliGlobals;
const args = globals.Deno?.args ?? globals.Bun?.argv.slice(2) ?? [];
const cases = JSON.parse(args[0] ?? '[]') as RuntimeCase[];
const results = await runCases(cases, TEST_ENV);
console.log(`${RESULTS_MARKER}\n${JSON.stringify(results)}`);
// Pooled keep-alive connections to the replay server must not hold the process open.
if (globals.Deno !== undefined) globals.Deno.exit(0);
else globals.process?.exit(0);
