// Where the bytes of 500 parked streams are: starts 500 concurrent streams of `concurrent-openai`
// (tokenwire, or raw with --contender raw), pauses the server's slices so every stream is parked
// mid-answer, takes a heap snapshot and prints self size by node type and constructor.
//   node bench/heap-snapshot.mjs [--contender tokenwire|raw] [--streams 500] [--keep 1]
//     [--slice-delay 0 --wait 1500]   (streaming at full speed, not parked: the live set mid-stream)
import { readFileSync, rmSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { startReplay } from './replay-client.mjs';
import { workloadById } from './workloads.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const contender = argument('contender', 'tokenwire');
const count = Number(argument('streams', 500));
const workload = workloadById('concurrent-openai');
// Slow slices: after ~2 s every stream has read a few slices and waits for the next one.
const replay = await startReplay('slices', {
  ...process.env,
  BENCH_SLICE_BYTES: '16384',
  BENCH_SLICE_DELAY_MS: argument('slice-delay', '60000'),
});
const url = await replay.enqueue(workload.id, count + 10);
const { setups } = await import(`./contenders/${contender}.mjs`);
const stream = await setups.openai(workload, url);
const before = process.memoryUsage();
const running = Array.from({ length: count }, () => stream().catch(() => undefined));
await new Promise((resolve) => setTimeout(resolve, Number(argument('wait', 4_000))));
globalThis.gc?.();
const parked = process.memoryUsage();
const file = writeHeapSnapshot();
const snapshot = JSON.parse(readFileSync(file, 'utf8'));
if (argument('keep', undefined) === undefined) rmSync(file);

const meta = snapshot.snapshot.meta;
const fields = meta.node_fields;
const width = fields.length;
const typeNames = meta.node_types[0];
const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
const totals = new Map();
let all = 0;
for (let index = 0; index < snapshot.nodes.length; index += width) {
  const type = typeNames[snapshot.nodes[index + typeAt]];
  const name = snapshot.strings[snapshot.nodes[index + nameAt]];
  const size = snapshot.nodes[index + sizeAt];
  const key = type === 'object' || type === 'closure' ? `${type} ${name}` : type;
  const entry = totals.get(key) ?? { count: 0, bytes: 0 };
  entry.count++;
  entry.bytes += size;
  totals.set(key, entry);
  all += size;
}
const mb = (bytes) => (bytes / 2 ** 20).toFixed(2);
console.log(
  `${contender}: ${count} parked streams; heapUsed before ${mb(before.heapUsed)} MB, parked ${mb(parked.heapUsed)} MB (${((parked.heapUsed - before.heapUsed) / count / 1024).toFixed(1)} KB per stream); snapshot ${mb(all)} MB`,
);
const rows = [...totals.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 40);
for (const [key, { count: n, bytes }] of rows) {
  console.log(
    `${mb(bytes).padStart(8)} MB ${String(n).padStart(8)} × ${(bytes / n).toFixed(0).padStart(6)} B  ${key.slice(0, 90)}`,
  );
}
replay.close();
void running;
process.exit(0);
