// What governance adds to a request at concurrency 1: @tokenwire/gateway open (no auth) beside the
// same gateway governed by virtual keys on the embedded store (PGlite + in-memory limits) and on
// Postgres + Redis (Debian's, started on loopback), in one run, over one in-memory upstream. Each
// governed request authenticates its key, reserves its budget, takes a limiter slot and settles
// (spend row, metrics) at its end. Measured: the gateway's own time (`x-tokenwire-overhead-ms`, up
// to the response headers) and the client's time to the last byte. Every process is its own. Run:
//   pnpm build && cd bench && node gateway-governance.bench.mjs [requests]
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgresServer, startRedisServer } from '@tokenwire/testing/internal';

const here = dirname(fileURLToPath(import.meta.url));
/** The master key of governance-processes.mjs. */
const MASTER_KEY = 'bench-master-key-0123456789abcdef0123456789';
const count = Number(process.argv[2] ?? 3000);
const children = [];

function start(script, args) {
  const child = spawn(process.execPath, [script, ...args], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (text) => {
      output += text;
      const found = /ready (http\S+)/.exec(output);
      if (found) resolve(found[1]);
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited ${code}: ${output}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function send(url, key) {
  const body = JSON.stringify({ model: 'short', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
  const headers = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}/v1/chat/completions`,
      { method: 'POST', agent, headers },
      (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${url}: HTTP ${response.statusCode}`));
          else
            resolve({
              overhead: Number(response.headers['x-tokenwire-overhead-ms']),
              total: performance.now() - started,
            });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function createKey(url) {
  const response = await fetch(`${url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ budget: { usd: 1_000_000 }, limits: { rpm: 1_000_000, concurrent: 100 } }),
  });
  if (response.status !== 201)
    throw new Error(`POST /admin/keys: ${response.status} ${await response.text()}`);
  return (await response.json()).key;
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

const [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
try {
  const upstream = await start('gateway-processes.mjs', ['upstream']);
  const targets = [
    { name: 'open (no auth)', url: await start('governance-processes.mjs', [upstream, 'open']) },
    { name: 'governed, embedded', url: await start('governance-processes.mjs', [upstream, 'embedded']) },
    {
      name: 'governed, Postgres + Redis',
      url: await start('governance-processes.mjs', [upstream, 'shared', postgres.url, redis.url]),
    },
  ];
  for (const target of targets) {
    target.key = target.name.startsWith('open') ? undefined : await createKey(target.url);
    target.results = [];
    for (let index = 0; index < 300; index++) await send(target.url, target.key); // warm-up
  }
  // Interleaved, one request at a time: every target sees the same machine at the same moments.
  for (let index = 0; index < count; index++) {
    for (const target of targets) target.results.push(await send(target.url, target.key));
  }
  const base = targets[0];
  const stat = (target, field, p) =>
    percentile(
      target.results.map((result) => result[field]),
      p,
    );
  const rows = targets.map((target) => ({
    target: target.name,
    'overhead p50 ms': stat(target, 'overhead', 50).toFixed(3),
    'overhead p99 ms': stat(target, 'overhead', 99).toFixed(3),
    'added p50 ms': (stat(target, 'overhead', 50) - stat(base, 'overhead', 50)).toFixed(3),
    'added p99 ms': (stat(target, 'overhead', 99) - stat(base, 'overhead', 99)).toFixed(3),
    'total p50 ms': stat(target, 'total', 50).toFixed(3),
    'total p99 ms': stat(target, 'total', 99).toFixed(3),
  }));
  console.log(`\n${count} streamed requests per target, concurrency 1, Node ${process.version}\n`);
  console.table(rows);
} finally {
  for (const child of children) child.kill();
  await Promise.all([postgres.close(), redis.close()]);
}
