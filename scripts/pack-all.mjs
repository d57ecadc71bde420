// pnpm pack:all: packs every package into ./tarballs (workspace:^ ranges become real versions),
// each also under a name without its version (tokenwire-core.tgz), so that an install line before
// the first publish is the same every release: the README's "Installing before the first publish".
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES } from './packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const destination = join(root, process.argv[2] ?? 'tarballs');
const pnpm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath]]
  : ['npx', ['--yes', 'pnpm@10']];

rmSync(destination, { recursive: true, force: true });
mkdirSync(destination, { recursive: true });
for (const name of PACKAGES) {
  execFileSync(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', destination], {
    cwd: join(root, 'packages', name),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
for (const file of readdirSync(destination)) {
  const unversioned = file.replace(/-\d+\.\d+\.\d+(-[\w.]+)?\.tgz$/, '.tgz');
  if (unversioned !== file) copyFileSync(join(destination, file), join(destination, unversioned));
}
console.log(`Packed ${PACKAGES.length} packages into ${destination}:`);
for (const file of readdirSync(destination).sort()) console.log(`  ${file}`);
