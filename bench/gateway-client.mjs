// What gateway.bench.mjs and gateway-rounds.mjs share: starting the processes and one request.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const portkeyScript = join(
  dirname(require.resolve('@portkey-ai/gateway/package.json')),
  'build/start-server.js',
);

/** Starts a process that prints `ready <url>`; resolves with its url and child. */
export function start(command, args, { match = /ready (http\S+)/, nodeArgs = [], env = {} } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, command, ...args], {
    cwd: here,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (text) => {
      output += text;
      const found = match.exec(output);
      if (found) resolve({ url: found[1].replace('localhost', '127.0.0.1'), child, output: () => output });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output}`)));
  });
}

/**
 * The upstream, @tokenwire/gateway (with `nodeArgs`, say --cpu-prof) and Portkey, and their
 * targets; with `beforeDist` (a copy of another build's packages/gateway/dist), that build too.
 */
export async function startAll(tokenwireNodeArgs = [], beforeDist = undefined) {
  const upstream = await start('gateway-processes.mjs', ['upstream']);
  const tokenwire = await start('gateway-processes.mjs', ['tokenwire', upstream.url], {
    nodeArgs: tokenwireNodeArgs,
  });
  const portkeyPort = 20000 + Math.floor(Math.random() * 20000);
  const portkey = await start(portkeyScript, [`--port=${portkeyPort}`, '--headless'], {
    match: /(http:\/\/localhost:\d+)/,
  });
  const targets = [
    { name: 'upstream directly', url: upstream.url, headers: {}, model: (model) => model },
    {
      name: '@tokenwire/gateway',
      url: tokenwire.url,
      headers: {},
      model: (model) => `openai/${model}`,
      process: tokenwire.child,
    },
    {
      name: '@portkey-ai/gateway',
      url: `http://127.0.0.1:${portkeyPort}`,
      headers: {
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${upstream.url}/v1`,
        authorization: 'Bearer bench-key-0123456789',
      },
      model: (model) => model,
      process: portkey.child,
    },
  ];
  const started = [upstream, tokenwire, portkey];
  if (beforeDist !== undefined) {
    const before = await start('gateway-processes.mjs', ['tokenwire', upstream.url], {
      env: { TOKENWIRE_GATEWAY_DIST: `${beforeDist}/index.js` },
    });
    started.push(before);
    targets.push({
      ...targets[1],
      name: '@tokenwire/gateway before',
      url: before.url,
      process: before.child,
    });
  }
  const stop = () => {
    for (const entry of started) entry.child.kill('SIGINT');
  };
  return { targets, stop };
}

export const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

/** One request: time to the first body byte, to the end, and the longest gap between reads. */
export function send(target, model, stream = true) {
  const body = JSON.stringify({
    model: target.model(model),
    stream,
    messages: [{ role: 'user', content: 'Hi' }],
  });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${target.url}/v1/chat/completions`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...target.headers } },
      (response) => {
        let first;
        let last = started;
        let gap = 0;
        let bytes = 0;
        response.on('data', (part) => {
          const now = performance.now();
          // The gap between frames, after the first one (the wait for the first is `first`).
          if (first === undefined) first = now - started;
          else gap = Math.max(gap, now - last);
          last = now;
          bytes += part.length;
        });
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`${target.name}: HTTP ${response.statusCode}`));
          else resolve({ first, total: performance.now() - started, gap, bytes });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The p-th percentile (nearest rank) of some numbers. */
export const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** A process's resident set, in MB, from /proc. */
export const rssMb = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** `count` requests to each target in turn (interleaved), the results by target name. */
export async function sequential(targets, model, count, stream = true) {
  const results = new Map(targets.map((target) => [target.name, []]));
  for (let index = 0; index < count; index++) {
    for (const target of targets) results.get(target.name).push(await send(target, model, stream));
  }
  return results;
}
