import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// A module-resolution hook that prints every bare specifier a script imports.
const RECORD_IMPORTS = `data:text/javascript,${encodeURIComponent(
  'export async function resolve(specifier, context, next) {' +
    " if (!/^[.\\/]|^node:|^file:|^data:/.test(specifier)) process.stdout.write('import ' + specifier + '\\n');" +
    ' return next(specifier, context); }',
)}`;

/** Runs a module script in a fresh `node`, from the examples folder (a user's app), and lists the packages it imported. */
async function importsOf(script: string): Promise<{ stdout: string; packages: string[] }> {
  const source = `import { register } from 'node:module'; register(${JSON.stringify(RECORD_IMPORTS)}); ${script}`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', source], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  const packages = stdout
    .split('\n')
    .filter((line) => line.startsWith('import '))
    .map((line) => line.slice('import '.length));
  return { stdout, packages };
}

describe('the built @tokenwire/testing', () => {
  it('serves the replay server without loading vitest (it works under any test runner)', async () => {
    const { stdout, packages } = await importsOf(
      "const { createReplayServer } = await import('@tokenwire/testing');" +
        ' const server = await createReplayServer(); console.log(typeof server.url); await server.close();',
    );
    expect(stdout).toContain('string\n');
    expect(packages).toContain('@tokenwire/core');
    expect(packages.filter((name) => name.includes('vitest'))).toEqual([]);
  });

  it('exports the conformance suite from @tokenwire/testing/conformance', async () => {
    const { stdout } = await importsOf(
      "const suite = await import('@tokenwire/testing/conformance');" +
        ' console.log(typeof suite.describeAdapterConformance);',
    );
    expect(stdout).toContain('function\n');
  });
});
