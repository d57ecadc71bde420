// Summarizes a V8 .cpuprofile (from `node run-all.mjs --cpu-prof`, written to bench/results/profiles):
// self time by package and by function, so the cost of each layer is visible.
//   node bench/profile-summary.mjs <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const top = Number(values.top);

/** `@tokenwire/core`, `openai`, `node:internal/…`, or `(program)` for a node's script. */
function packageOf(url) {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return url.startsWith('node:internal/deps/undici') ? 'undici' : 'node';
  const tokenwire = url.match(/\/packages\/([^/]+)\/dist\//);
  if (tokenwire) return `@tokenwire/${tokenwire[1]}`;
  const modules = url.split('/node_modules/');
  if (modules.length > 1) {
    const parts = modules.at(-1).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.includes('/bench/')) return 'bench';
  return url;
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const selfTime = new Map(profile.nodes.map((node) => [node.id, 0]));
  const deltas = profile.timeDeltas;
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index];
    selfTime.set(id, selfTime.get(id) + (deltas[index] ?? 0));
  }
  const total = [...selfTime.values()].reduce((sum, time) => sum + time, 0);
  const byPackage = new Map();
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const time = selfTime.get(node.id);
    if (time === 0) continue;
    const frame = node.callFrame;
    const owner = packageOf(frame.url);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + time);
    const name = `${frame.functionName || '(anonymous)'}  ${owner}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  const print = (title, map) => {
    console.log(`\n${title}`);
    for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${(time / 1000).toFixed(1).padStart(9)} ms ${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`,
      );
    }
  };
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
  print('self time by package', byPackage);
  print('self time by function', byFunction);
}
