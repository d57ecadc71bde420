// The replay server of the side-by-side benchmarks, in its own process (started by run-all.mjs
// with fork): the clients measured are alone in theirs. Messages over IPC:
//   parent -> { type: 'enqueue', workload, count }  drop what is queued, queue `count` responses
//   parent -> { type: 'usage' }  answered with { type: 'usage', cpuMs } (this process's CPU time so far)
//   parent -> { type: 'close' }
//   child  -> { type: 'ready', url, server } / { type: 'enqueued', url } / { type: 'error', message }
//
// --server=slices (default): the bytes @tokenwire/testing's encodeRecord/terminalRecord frame,
//   built once per workload and written in 16 KB slices as fast as the socket takes them.
// --server=package: @tokenwire/testing's createReplayServer as is (one awaited write per record;
//   see bench/README.md for what that costs).
import { createServer } from 'node:http';
import { createReplayServer, encodeRecord, terminalRecord } from '@tokenwire/testing';
import { protocolOfPath } from '@tokenwire/testing/internal';
import { workloadById } from './workloads.mjs';

const SLICE_BYTES = Number(process.env.BENCH_SLICE_BYTES ?? 16 * 1024);
/** A pause between slices (ms; 0 = as fast as the socket takes them): the soak's slow, parked streams. */
const SLICE_DELAY_MS = Number(process.env.BENCH_SLICE_DELAY_MS ?? 0);
const mode = process.argv.find((argument) => argument.startsWith('--server='))?.slice(9) ?? 'slices';

const payloadCache = new Map();
function payloadsOf(id) {
  let payloads = payloadCache.get(id);
  if (payloads === undefined) {
    payloads = workloadById(id).build();
    payloadCache.set(id, payloads);
  }
  return payloads;
}

const bodyCache = new Map();
/** The whole response body of a workload, framed exactly as @tokenwire/testing's server frames it. */
function bodyOf(id) {
  let body = bodyCache.get(id);
  if (body === undefined) {
    const { protocol, wire } = workloadById(id);
    // A workload with its own `wire` (Bedrock's binary event-stream frames) is framed by it.
    const encode = wire === undefined ? (payload) => encodeRecord(protocol, payload) : wire.encodeRecord;
    const records = payloadsOf(id).map((payload) => Buffer.from(encode(payload)));
    records.push(Buffer.from((wire === undefined && terminalRecord(protocol)) || ''));
    body = Buffer.concat(records);
    bodyCache.set(id, body);
  }
  return body;
}

const contentType = (protocol, wire) =>
  wire?.contentType ?? (protocol === 'ollama' ? 'application/x-ndjson' : 'text/event-stream; charset=utf-8');
const servesPath = (entry, path) =>
  entry.wire === undefined ? protocolOfPath(path) === entry.protocol : entry.wire.path.test(path);

async function writeSlices(response, body) {
  for (let offset = 0; offset < body.length && !response.destroyed; offset += SLICE_BYTES) {
    if (SLICE_DELAY_MS > 0 && offset > 0) await new Promise((resolve) => setTimeout(resolve, SLICE_DELAY_MS));
    if (!response.write(body.subarray(offset, offset + SLICE_BYTES))) {
      await new Promise((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    }
  }
  response.end();
}

async function startSliceServer() {
  const queue = [];
  const server = createServer(async (request, response) => {
    for await (const _chunk of request) {
      // read the request body; the scripts ignore it
    }
    const path = (request.url ?? '/').split('?')[0];
    const next = queue.shift();
    if (next === undefined || !servesPath(next, path)) {
      response.writeHead(500, { 'content-type': 'application/json' });
      const expected =
        next === undefined ? 'nothing is queued' : `the queued workload speaks ${next.protocol}`;
      response.end(JSON.stringify({ error: { message: `bench replay: ${path} arrived but ${expected}` } }));
      return;
    }
    response.writeHead(200, {
      'content-type': contentType(next.protocol, next.wire),
      'cache-control': 'no-cache',
    });
    await writeSlices(response, next.body);
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    reset() {
      queue.length = 0;
    },
    enqueue(id, count) {
      const { protocol, wire } = workloadById(id);
      const entry = { protocol, wire, body: bodyOf(id) };
      for (let index = 0; index < count; index++) queue.push(entry);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function startPackageServer() {
  let server = await createReplayServer();
  let queued = 0;
  return {
    get url() {
      return server.url;
    },
    async reset() {
      // createReplayServer cannot drop queued scripts: start a fresh one if any are left.
      if (server.requests.length < queued) {
        await server.close();
        server = await createReplayServer();
      }
      server.requests.length = 0; // it records every request; keep its memory flat
      queued = 0;
    },
    enqueue(id, count) {
      const script = { payloads: payloadsOf(id) };
      for (let index = 0; index < count; index++) server.enqueue(script);
      queued += count;
    },
    close: () => server.close(),
  };
}

const server = mode === 'package' ? await startPackageServer() : await startSliceServer();
process.on('message', async (message) => {
  try {
    if (message.type === 'enqueue') {
      await server.reset();
      server.enqueue(message.workload, message.count);
      process.send({ type: 'enqueued', url: server.url });
    } else if (message.type === 'usage') {
      const cpu = process.cpuUsage();
      process.send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (message.type === 'close') {
      await server.close();
      process.exit(0);
    }
  } catch (error) {
    process.send({ type: 'error', message: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', url: server.url, server: mode });
