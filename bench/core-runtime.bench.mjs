// Micro-benchmark of the @tokenwire/core runtime: the cost it adds per delta on top of the adapter.
// Run: pnpm bench:core (builds first). Writes nothing; paste the table into bench/README.md.
import { createTokenwire } from '../packages/core/dist/index.js';

const RUNS = 7;

/** An adapter over a prebuilt delta array, with the cheapest possible async iterator. */
function arrayAdapter(deltas) {
  return {
    name: 'array',
    stream() {
      let index = 0;
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        next() {
          return Promise.resolve(
            index < deltas.length
              ? { value: deltas[index++], done: false }
              : { value: undefined, done: true },
          );
        },
        return() {
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}

function textDeltas(count, size) {
  const deltas = [{ type: 'start', model: 'bench' }];
  for (let index = 0; index < count; index++)
    deltas.push({ type: 'text', delta: 'abcdefghijklmnopqrstuvwxyz'.slice(0, size) });
  deltas.push({ type: 'finish', reason: 'stop' });
  return deltas;
}

function toolDeltas(count) {
  const deltas = [{ type: 'tool_call', index: 0, id: 'call_1', name: 'write', argumentsDelta: '{"text":"' }];
  for (let index = 0; index < count; index++)
    deltas.push({ type: 'tool_call', index: 0, argumentsDelta: 'word ' });
  deltas.push({ type: 'tool_call', index: 0, argumentsDelta: '"}' });
  deltas.push({ type: 'finish', reason: 'tool_calls' });
  return deltas;
}

async function baseline(deltas) {
  const started = process.hrtime.bigint();
  for await (const _delta of arrayAdapter(deltas).stream()) {
    // consume only
  }
  return Number(process.hrtime.bigint() - started);
}

async function tokenwire(deltas) {
  const client = createTokenwire({ providers: { array: arrayAdapter(deltas) } });
  const started = process.hrtime.bigint();
  for await (const _event of client.stream({ model: 'array/bench', messages: [{ role: 'user', content: 'Hi' }] })) {
    // consume only
  }
  return Number(process.hrtime.bigint() - started);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(name, deltas) {
  await baseline(deltas);
  await tokenwire(deltas); // warm-up
  const base = [];
  const wrapped = [];
  for (let run = 0; run < RUNS; run++) {
    base.push(await baseline(deltas));
    wrapped.push(await tokenwire(deltas));
  }
  const perDelta = (median(wrapped) - median(base)) / deltas.length;
  console.log(
    `| ${name} | ${deltas.length.toLocaleString('en')} | ${(median(base) / deltas.length).toFixed(0)} | ${(median(wrapped) / deltas.length).toFixed(0)} | ${perDelta.toFixed(0)} |`,
  );
}

async function memory() {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const deltas = textDeltas(100_000, 10); // 1,000,000 characters of answer
  globalThis.gc?.();
  const afterDeltas = process.memoryUsage().heapUsed;
  const client = createTokenwire({ providers: { array: arrayAdapter(deltas) } });
  const finish = await client.stream({ model: 'array/bench', messages: [{ role: 'user', content: 'Hi' }] }).result();
  globalThis.gc?.();
  const retained = process.memoryUsage().heapUsed - afterDeltas;
  console.log(
    `\n1 MB answer (${finish.content.length.toLocaleString('en')} characters, 100,000 deltas): input deltas ${((afterDeltas - before) / 1e6).toFixed(1)} MB; ` +
      `the runtime's result retains ${(retained / 1e6).toFixed(1)} MB (${(retained / finish.content.length).toFixed(1)}x the answer)`,
  );
}

console.log(`Node ${process.version}, median of ${RUNS} runs, nanoseconds\n`);
console.log(
  '| workload | deltas | adapter alone ns/delta | through tokenwire ns/delta | runtime adds ns/delta |',
);
console.log('|---|---|---|---|---|');
await measure('text stream', textDeltas(100_000, 4));
await measure('tool call, fragmented arguments', toolDeltas(10_000));
await memory();
