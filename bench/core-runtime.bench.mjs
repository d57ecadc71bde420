// Micro-benchmark of the @tokenwire/core runtime: the cost it adds per delta on top of the adapter.
// Run: pnpm bench:core (builds first). Writes nothing; paste the table into bench/README.md.
import { createTokenwire, toSSE } from '../packages/core/dist/index.js';
import { findRequestProblem } from '../packages/core/dist/internal.js';

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

/** An adapter whose first stream calls a tool and whose second streams `deltas`: a two-step tool loop. */
function twoStepAdapter(deltas) {
  const call = [
    { type: 'start', model: 'bench' },
    { type: 'tool_call', index: 0, id: 'call_1', name: 'lookup', argumentsDelta: '{"q":"x"}' },
    { type: 'finish', reason: 'tool_calls' },
  ];
  let calls = 0;
  return {
    name: 'array',
    stream: (...args) => arrayAdapter(calls++ % 2 === 0 ? call : deltas).stream(...args),
  };
}

const lookup = { name: 'lookup', parameters: { type: 'object' }, execute: () => 'found' };

/** The same text stream, as the answer after an executed tool: the loop's cost per event. */
async function toolLoop(deltas) {
  const client = createTokenwire({ providers: { array: twoStepAdapter(deltas) } });
  const started = process.hrtime.bigint();
  for await (const _event of client.stream({
    model: 'array/bench',
    messages: [{ role: 'user', content: 'Hi' }],
    tools: [lookup],
  })) {
    // consume only
  }
  return Number(process.hrtime.bigint() - started);
}

/** The same stream with a hook at every moment of the stream and a price table: cost per stream, not per delta. */
async function withHooks(deltas) {
  const hooks = { onRequest() {}, onFirstContent() {}, onFinish() {}, onError() {} };
  const client = createTokenwire({
    providers: { array: arrayAdapter(deltas) },
    hooks: [hooks],
    prices: { 'array/bench': { input: 1, output: 2 } },
  });
  const started = process.hrtime.bigint();
  for await (const _event of client.stream({
    model: 'array/bench',
    messages: [{ role: 'user', content: 'Hi' }],
  })) {
    // consume only
  }
  return Number(process.hrtime.bigint() - started);
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
  for await (const _event of client.stream({
    model: 'array/bench',
    messages: [{ role: 'user', content: 'Hi' }],
  })) {
    // consume only
  }
  return Number(process.hrtime.bigint() - started);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(name, deltas, through = tokenwire) {
  await baseline(deltas);
  await through(deltas); // warm-up
  const base = [];
  const wrapped = [];
  for (let run = 0; run < RUNS; run++) {
    base.push(await baseline(deltas));
    wrapped.push(await through(deltas));
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
  const finish = await client
    .stream({ model: 'array/bench', messages: [{ role: 'user', content: 'Hi' }] })
    .result();
  globalThis.gc?.();
  const retained = process.memoryUsage().heapUsed - afterDeltas;
  console.log(
    `\n1 MB answer (${finish.content.length.toLocaleString('en')} characters, 100,000 deltas): input deltas ${((afterDeltas - before) / 1e6).toFixed(1)} MB; ` +
      `the runtime's result retains ${(retained / 1e6).toFixed(1)} MB (${(retained / finish.content.length).toFixed(1)}x the answer)`,
  );
}

/** A realistic agent request: 50 messages (text, tool calls and their results) and 10 tools. */
function largeRequest() {
  const tools = Array.from({ length: 10 }, (_, index) => ({
    name: `tool_${index}`,
    description: 'Looks something up.',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  }));
  const messages = [{ role: 'system', content: 'You are a helpful assistant.' }];
  for (let turn = 0; messages.length < 50; turn++) {
    messages.push({ role: 'user', content: `Question ${turn}: what is the weather in city ${turn}?` });
    const id = `call_${turn}`;
    messages.push({
      role: 'assistant',
      content: null,
      toolCalls: [{ id, name: 'tool_1', arguments: '{"query":"x"}' }],
    });
    messages.push({ role: 'tool', toolCallId: id, content: '{"temperature":21}' });
    messages.push({ role: 'assistant', content: `It is 21 °C in city ${turn}.` });
  }
  return { model: 'array/bench', messages: messages.slice(0, 50), tools, temperature: 0.2, maxTokens: 512 };
}

/** Validation of one large request vs the runtime's cost of a whole 200-delta stream (setup included). */
async function validationCost() {
  const request = largeRequest();
  const validations = 20_000;
  const validationRuns = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < validations; index++) {
      if (findRequestProblem(request) !== undefined) throw new Error('the bench request must be valid');
    }
    validationRuns.push(Number(process.hrtime.bigint() - started) / validations);
  }
  const deltas = textDeltas(200, 4);
  const streams = 2_000;
  const streamRuns = [];
  for (let run = 0; run < RUNS + 1; run++) {
    let base = 0;
    let wrapped = 0;
    for (let index = 0; index < streams; index++) {
      base += await baseline(deltas);
      wrapped += await tokenwire(deltas);
    }
    streamRuns.push((wrapped - base) / streams);
  }
  const validation = median(validationRuns.slice(1));
  const stream = median(streamRuns.slice(1));
  console.log(
    `\nvalidating a 50-message request with 10 tools: ${(validation / 1000).toFixed(2)} µs; the runtime's cost of a ` +
      `200-delta stream (setup included): ${(stream / 1000).toFixed(1)} µs; validation = ${((100 * validation) / stream).toFixed(1)}% of it`,
  );
}

/** Bytes `toSSE` sends for an answer, against the answer's own bytes: linear, not quadratic. */
async function sseBytes() {
  const cases = [
    ['a 40 KB answer in 8,000 tokens', textDeltas(8_000, 5), 40_000],
    ['4 MB of tool arguments in 40,000 fragments', toolDeltas(40_000).map(widen), 4_000_000],
  ];
  for (const [name, deltas, answerBytes] of cases) {
    const client = createTokenwire({ providers: { array: arrayAdapter(deltas) } });
    const body = toSSE(client.stream({ model: 'array/bench', messages: [{ role: 'user', content: 'Hi' }] }));
    let sent = 0;
    for await (const chunk of body) sent += chunk.byteLength;
    console.log(
      `toSSE of ${name}: ${sent.toLocaleString('en')} bytes sent, ${(sent / answerBytes).toFixed(2)}x the answer`,
    );
  }
}

/** A tool fragment of 100 characters instead of 5, so 40,000 of them make about 4 MB. */
function widen(delta) {
  return delta.argumentsDelta === 'word ' ? { ...delta, argumentsDelta: 'word '.repeat(20) } : delta;
}

console.log(`Node ${process.version}, median of ${RUNS} runs, nanoseconds\n`);
console.log(
  '| workload | deltas | adapter alone ns/delta | through tokenwire ns/delta | runtime adds ns/delta |',
);
console.log('|---|---|---|---|---|');
await measure('text stream', textDeltas(100_000, 4));
await measure('tool call, fragmented arguments', toolDeltas(10_000));
await measure('text stream after an executed tool (2 steps)', textDeltas(100_000, 4), toolLoop);
await measure('text stream with hooks and prices', textDeltas(100_000, 4), withHooks);
await memory();
await validationCost();
await sseBytes();
