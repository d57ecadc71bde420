// The streamed path at concurrency 1, in alternating rounds: every round sends `short` (8 frames)
// to the upstream directly, @tokenwire/gateway and @portkey-ai/gateway in turn, one request at a
// time, then 10 answers of 2,000 frames each for the per-frame figure. Each figure is given as the
// median of the rounds and their range, since the machine is shared. Run (after `pnpm build`):
//   node gateway-rounds.mjs [--rounds 5] [--requests 400] [--cpu-prof] [--before <dist copy>]
// --before adds another build of packages/gateway/dist (copied aside first) for an A/B in one run.
// With --cpu-prof the gateway's profile goes to bench/results/profiles/ (see profile-summary.mjs);
// the gateway process also reports its garbage collections (count, total and longest pause).
import { join } from 'node:path';

process.env.TOKENWIRE_BENCH_STAGES = '1';

import { parseArgs } from 'node:util';
import { agent, here, percentile, sequential, startAll } from './gateway-client.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '400' },
    'cpu-prof': { type: 'boolean', default: false },
    before: { type: 'string' },
  },
});
const profileArgs = ['--cpu-prof', `--cpu-prof-dir=${join(here, 'results/profiles')}`];
const { targets, stop } = await startAll(values['cpu-prof'] ? profileArgs : [], values.before);
const [direct, ...gateways] = targets;

const figures = new Map(gateways.map((target) => [target.name, []]));
await sequential(targets, 'short', 300); // warm-up
for (let round = 0; round < Number(values.rounds); round++) {
  const short = await sequential(targets, 'short', Number(values.requests));
  const long = await sequential(targets, 'long-2000', 10);
  const at = (runs, key, p) =>
    percentile(
      runs.map((run) => run[key]),
      p,
    );
  for (const target of gateways) {
    const ours = short.get(target.name);
    const base = short.get(direct.name);
    figures.get(target.name).push({
      addedP50Ms: at(ours, 'total', 50) - at(base, 'total', 50),
      addedP99Ms: at(ours, 'total', 99) - at(base, 'total', 99),
      addedFirstByteP50Ms: at(ours, 'first', 50) - at(base, 'first', 50),
      addedFirstByteP99Ms: at(ours, 'first', 99) - at(base, 'first', 99),
      addedPerFrameUs:
        ((at(long.get(target.name), 'total', 50) - at(long.get(direct.name), 'total', 50)) / 2000) * 1000,
      directP99Ms: at(base, 'total', 99),
    });
  }
}
agent.destroy();
const gc = await new Promise((resolve) => {
  const child = targets[1].process;
  let text = '';
  child.stdout.on('data', (part) => {
    text += part;
  });
  child.on('exit', () => resolve(/gc ([\s\S]*)/.exec(text)?.[1] ?? 'not reported'));
  stop();
});
const spread = (list, key) => {
  const sorted = list.map((entry) => entry[key]).sort((a, b) => a - b);
  const show = (value) => value.toFixed(key.endsWith('Us') ? 1 : 2);
  return `${show(sorted[Math.floor(sorted.length / 2)])} (${show(sorted[0])}–${show(sorted.at(-1))})`;
};
console.log(
  `| figure, median of ${values.rounds} rounds (range) | ${gateways.map((t) => t.name).join(' | ')} |`,
);
console.log(`| --- | ${gateways.map(() => '---').join(' | ')} |`);
for (const key of Object.keys(figures.get(gateways[0].name)[0])) {
  console.log(`| ${key} | ${gateways.map((t) => spread(figures.get(t.name), key)).join(' | ')} |`);
}
console.log(`@tokenwire/gateway process, garbage collection over the run: ${gc}`);
