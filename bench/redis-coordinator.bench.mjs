// What the coordinator costs, side by side in one run against a local redis-server (started here,
// loopback, no persistence): the stream store per SSE event (toSSE with no coordinator, the
// in-memory one, Redis), and the limiter per stream (no limits, in-memory limits, Redis limits).
// Streams come from a scripted adapter, so the numbers are tokenwire's and Redis's, not a
// provider's. Prints a Markdown table for bench/RESULTS-redis.md.
// Run: pnpm build && node bench/redis-coordinator.bench.mjs
import { createTokenwire, inMemoryCoordinator, toSSE } from '../packages/core/dist/index.js';
import { redisCoordinator } from '../packages/redis/dist/index.js';
import { startRedisServer } from '../packages/testing/dist/internal.js';

const TOKENS = 2_000;
const STREAMS = 400;
const ROUNDS = 8; // the first warms up, the median of the other 7 is reported
const messages = [{ role: 'user', content: 'Hi' }];

/** An adapter that answers `tokens` text deltas at once (the stream is as fast as tokenwire), or paced. */
function burstAdapter(tokens, pacedEveryMs) {
  return {
    name: 'bench',
    async *stream() {
      for (let index = 0; index < tokens; index++) {
        if (pacedEveryMs !== undefined && index % 50 === 0)
          await new Promise((resolve) => setTimeout(resolve, pacedEveryMs));
        yield { type: 'text', delta: 'word ' };
      }
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

/** Counts the coordinator's stream-store writes. */
/** Counts the coordinator's stream-store writes; `ended` resolves once the stream's end is stored. */
function counting(coordinator) {
  const counts = { appends: 0, records: 0 };
  let stored;
  const ended = new Promise((resolve) => {
    stored = resolve;
  });
  const counted = Object.create(coordinator);
  counted.appendRecords = (streamId, records, retainMs) => {
    counts.appends++;
    counts.records += records.length;
    return coordinator.appendRecords(streamId, records, retainMs);
  };
  counted.endStream = (streamId, retainMs) => coordinator.endStream(streamId, retainMs).then(stored);
  return { counted, counts, ended };
}

async function readAll(body) {
  const reader = body.getReader();
  let bytes = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
  return bytes;
}

const median = (values) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];

/** One stream through toSSE, read to its end and (when resumable) stored to its end. */
async function storeCost(label, coordinator, pacedEveryMs) {
  const tokenwire = createTokenwire({ providers: { bench: burstAdapter(TOKENS, pacedEveryMs) }, retries: 0 });
  const timings = [];
  let writes = { appends: 0, records: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const { counted, counts, ended } = coordinator === undefined ? {} : counting(coordinator);
    const started = performance.now();
    const stream = tokenwire.stream({ model: 'bench/m', messages });
    const body = counted === undefined ? toSSE(stream) : toSSE(stream, { coordinator: counted });
    await readAll(body);
    await ended;
    if (round > 0) timings.push(((performance.now() - started) * 1000) / (TOKENS + 2)); // round 0 warms up
    if (counts !== undefined) writes = counts;
  }
  return { label, usPerEvent: median(timings), writes };
}

async function limiterCost(label, config) {
  const tokenwire = createTokenwire({ providers: { bench: burstAdapter(1) }, retries: 0, ...config });
  const timings = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (let index = 0; index < STREAMS; index++)
      await tokenwire.stream({ model: 'bench/m', messages }).result();
    if (round > 0) timings.push(((performance.now() - started) * 1000) / STREAMS); // round 0 warms up
  }
  return { label, usPerStream: median(timings) };
}

const redis = await startRedisServer();
const coordinator = redisCoordinator({ url: redis.url });
try {
  await coordinator.cooldownLeft('warm-up'); // connect before measuring
  const store = [
    await storeCost('toSSE, not resumable', undefined),
    await storeCost('toSSE + in-memory store', inMemoryCoordinator()),
    await storeCost('toSSE + Redis store', coordinator),
    await storeCost('toSSE, not resumable, paced (50 tokens per 5 ms)', undefined, 5),
    await storeCost('toSSE + Redis store, paced (50 tokens per 5 ms)', coordinator, 5),
  ];
  const limiter = [
    await limiterCost('no limits', {}),
    await limiterCost('in-memory limits', {
      limits: { bench: { concurrent: 5, requestsPerMinute: 1_000_000 } },
    }),
    await limiterCost('Redis limits', {
      coordinator,
      limits: { bench: { concurrent: 5, requestsPerMinute: 1_000_000 } },
    }),
  ];
  console.log(
    `Stream store: one stream of ${TOKENS} tokens read through toSSE, median of ${ROUNDS - 1} rounds\n`,
  );
  console.log('| | µs per event | store writes per stream | records per write |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const row of store) {
    const perWrite = row.writes.appends === 0 ? '—' : (row.writes.records / row.writes.appends).toFixed(0);
    console.log(
      `| ${row.label} | ${row.usPerEvent.toFixed(2)} | ${row.writes.appends || '—'} | ${perWrite} |`,
    );
  }
  console.log(`\nLimiter: ${STREAMS} one-token streams one after another, median of ${ROUNDS - 1} rounds\n`);
  console.log('| | µs per stream | added |');
  console.log('| --- | ---: | ---: |');
  for (const row of limiter)
    console.log(
      `| ${row.label} | ${row.usPerStream.toFixed(0)} | ${(row.usPerStream - limiter[0].usPerStream).toFixed(0)} |`,
    );
} finally {
  await coordinator.close();
  await redis.close();
}
