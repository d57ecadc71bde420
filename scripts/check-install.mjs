// The README's "Installing before the first publish", run as written in a plain folder outside the
// workspace: the checkout stands in for `git clone` (a link to this one), then every other command
// of the block runs in bash, and the installed app streams through @tokenwire/openai and openai.
// Part of pnpm check:packages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const block = /<!-- install-before-publish:[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
if (block === undefined) throw new Error('README.md has no install-before-publish block');
const [clone, ...rest] = block.trim().split('\n');
const cloned = /^git clone \S+ && (cd tokenwire)$/.exec(clone ?? '');
if (cloned === null) throw new Error(`the block's first line is not "git clone … && cd tokenwire": ${clone}`);

// An app that streams one request through the installed packages: a refused connection must come
// back as tokenwire's `connection` error event, which takes core, the adapter and the SDK together.
const app = `
import { createTokenwire } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
const adapter = createOpenAIAdapter({ apiKey: 'sk-install-check', baseURL: 'http://127.0.0.1:9/v1' });
const tokenwire = createTokenwire({ providers: { openai: adapter }, retries: 0 });
let last;
for await (const event of tokenwire.stream({ model: 'openai/gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] })) last = event;
if (last?.type !== 'error' || last.error.code !== 'connection') throw new Error('unexpected ' + JSON.stringify(last));
console.log('installed: @tokenwire/core and @tokenwire/openai stream (a refused connection is a connection error event)');
`;

const parent = mkdtempSync(join(tmpdir(), 'tokenwire-install-'));
try {
  symlinkSync(root, join(parent, 'tokenwire'));
  const script = ['set -euo pipefail', cloned[1], ...rest].join('\n');
  execFileSync('bash', ['-c', script], { cwd: parent, stdio: ['ignore', 'ignore', 'inherit'] });
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', app], {
    cwd: join(parent, 'my-app'),
    encoding: 'utf8',
  });
  process.stdout.write(output);
} finally {
  rmSync(parent, { recursive: true, force: true });
}
