// Stage timing inside the @tokenwire/gateway process of the bench, for requests one at a time
// (concurrency 1: each upstream request belongs to the client request being served). Loaded by
// `gateway-processes.mjs tokenwire` when TOKENWIRE_BENCH_STAGES=1; no change to the gateway itself:
// node:http's and undici's diagnostics channels, and ServerResponse.write observed.
import { subscribe } from 'node:diagnostics_channel';
import { ServerResponse } from 'node:http';

const stages = [];
let current;
subscribe('http.server.request.start', () => {
  current = { start: performance.now(), frames: 0, bytes: 0, writes: [] };
});
subscribe('undici:request:create', () => {
  if (current !== undefined) current.upstreamOpen = performance.now();
});
subscribe('undici:request:headers', () => {
  if (current !== undefined) current.upstreamHeaders = performance.now();
});
subscribe('undici:request:trailers', () => {
  if (current !== undefined) current.upstreamEnd = performance.now();
});
/** A piece of the body leaving through `write`, or `end` with data (the last batch). */
function wrote(chunk) {
  if (current === undefined) return;
  current.bytes += chunk.length;
  current.firstWrite ??= performance.now();
  current.frames++;
  current.writes.push(performance.now() - current.firstWrite);
}
const { write, end } = ServerResponse.prototype;
ServerResponse.prototype.write = function (...args) {
  wrote(args[0]);
  return write.apply(this, args);
};
ServerResponse.prototype.end = function (...args) {
  if (typeof args[0] === 'string' || args[0] instanceof Uint8Array) wrote(args[0]);
  return end.apply(this, args);
};
subscribe('http.server.response.finish', () => {
  if (current?.firstWrite !== undefined) stages.push({ ...current, end: performance.now() });
  current = undefined;
});

/** The tokenwire client with its `stream` timed: when the gateway calls it, and its first event. */
export function timedTokenwire(tokenwire) {
  return new Proxy(tokenwire, {
    get(target, key) {
      if (key !== 'stream') return Reflect.get(target, key);
      return (request) => {
        const entry = current;
        if (entry !== undefined) entry.streamCalled = performance.now();
        const stream = target.stream(request);
        const next = stream.next.bind(stream);
        stream.next = async () => {
          const result = await next();
          if (entry !== undefined) entry.firstEvent ??= performance.now();
          return result;
        };
        return stream;
      };
    },
  });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** The stages of the streamed requests seen, as `name p50/p99 ms` text (8-frame answers only). */
export function stageReport() {
  const short = stages.filter((entry) => entry.bytes < 4000 && entry.upstreamHeaders !== undefined);
  const spans = {
    'request in -> tokenwire.stream() called (gateway: read body, parse, auth, decode)': (s) =>
      s.streamCalled - s.start,
    'stream() called -> upstream request created (core, openai SDK)': (s) => s.upstreamOpen - s.streamCalled,
    'upstream request created -> its headers (loopback + upstream)': (s) =>
      s.upstreamHeaders - s.upstreamOpen,
    'upstream headers -> first event out of the stream (SDK read, SSE parse, core)': (s) =>
      s.firstEvent - s.upstreamHeaders,
    'first event -> first frame written (gateway: encode, answer, writeHead)': (s) =>
      s.firstWrite - s.firstEvent,
    'first frame written -> answer finished (other frames, end)': (s) => s.end - s.firstWrite,
    'whole request in the gateway': (s) => s.end - s.start,
  };
  const lines = Object.entries(spans).map(([name, span]) => {
    const values = short.map(span);
    return `  ${name}: p50 ${percentile(values, 50).toFixed(3)} ms, p99 ${percentile(values, 99).toFixed(3)} ms`;
  });
  const writes = percentile(
    short.map((s) => s.frames),
    50,
  );
  const sample = short[Math.floor(short.length / 2)];
  lines.push(
    `  one answer's writes after the first (ms): ${sample.writes.map((t) => t.toFixed(3)).join(' ')}`,
  );
  lines.push(
    `  its upstream body ended at ${(sample.upstreamEnd - sample.firstWrite).toFixed(3)} ms, finish at ${(sample.end - sample.firstWrite).toFixed(3)} ms`,
  );
  return `stages of ${short.length} streamed 8-frame requests (${writes} writes each, end with data counted):\n${lines.join('\n')}`;
}
