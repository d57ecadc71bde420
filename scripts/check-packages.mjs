// The packages as users get them: packs every package, installs the tarballs into a plain npm
// project outside the workspace together with the floor, then the ceiling, version of every vendor
// SDK the adapters' peer ranges allow, type-checks a strict `nodenext` application against them
// (package-check/consumer.ts) and runs it against the replay server. Run: pnpm check:packages.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES } from './packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const pnpm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath]]
  : ['npx', ['--yes', 'pnpm@10']];

/** Every vendor SDK with the range the adapters declare, from their package.json. */
function peerRanges() {
  const ranges = {};
  for (const name of PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {}))
      if (peer !== 'vitest') ranges[peer] = range;
  }
  return ranges;
}

/** The lowest and highest published versions a range allows, as npm resolves them. */
function bounds(name, range) {
  const versions = JSON.parse(run('npm', ['view', `${name}@${range}`, 'version', '--json'], root));
  const list = Array.isArray(versions) ? versions : [versions];
  return { floor: list[0], ceiling: list.at(-1) };
}

const work = mkdtempSync(join(tmpdir(), 'tokenwire-package-check-'));
try {
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const name of PACKAGES)
    run(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', tarballs], join(root, 'packages', name));
  const packed = readdirSync(tarballs).map((file) => join(tarballs, file));
  const ranges = peerRanges();
  const sdkBounds = Object.fromEntries(
    Object.entries(ranges).map(([name, range]) => [name, bounds(name, range)]),
  );
  const typescript = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.typescript;
  // The consumer types a structured answer with zod, the Standard Schema most users bring.
  const zod = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).devDependencies.zod;
  for (const variant of ['floor', 'ceiling']) {
    const project = join(work, variant);
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: `check-${variant}`, private: true, type: 'module' }),
    );
    for (const file of ['consumer.ts', 'tsconfig.json'])
      copyFileSync(join(root, 'scripts', 'package-check', file), join(project, file));
    const sdks = Object.entries(sdkBounds).map(([name, versions]) => `${name}@${versions[variant]}`);
    // React's types come apart from React: the major that matches (the consumer is type-checked).
    const react = sdkBounds.react?.[variant];
    if (react !== undefined) sdks.push(`@types/react@${react.split('.')[0]}`);
    console.log(`\n${variant} (the versions tested today): ${sdks.join(', ')}`);
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...packed,
        ...sdks,
        `typescript@${typescript}`,
        `zod@${zod}`,
        '@types/node@^20.19.0',
      ],
      project,
    );
    run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], project);
    process.stdout.write(run(process.execPath, [join(project, 'out', 'consumer.js')], project));
  }
  console.log(
    '\nThe packed packages type-check and stream with the floor and the ceiling of every vendor SDK.',
  );
} catch (error) {
  console.error(String(error.stdout ?? ''), String(error.stderr ?? ''), error.message);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
