// The processes of the gateway benchmark (gateway.bench.mjs), one script, by role:
//   node gateway-processes.mjs upstream            an OpenAI Chat Completions SSE server on loopback
//   node gateway-processes.mjs tokenwire <upstream> @tokenwire/gateway over the openai adapter
// Each prints `ready <url>` on stdout once listening.
//
// The upstream answers every POST /v1/chat/completions from memory, whatever was asked: `model`
// `short` is 8 text chunks, `long-N` is N chunks; with `stream: false` one chat.completion. The
// body is built once and written at once (or a frame per `delayMs` for the `slow-N` models), so
// the upstream costs the same for every contender.
import { createServer } from 'node:http';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { createTokenwire } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
import { encodeRecord, openaiChatScenarios } from '@tokenwire/testing';

const [role, upstreamUrl] = process.argv.slice(2);

function chunk(delta, finishReason = null) {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_790_000_000,
    model: 'bench-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

const bodies = new Map();
function framesOf(model) {
  let frames = bodies.get(model);
  if (frames === undefined) {
    const count = model === 'short' ? 8 : Number(model.split('-')[1]);
    const payloads = [chunk({ role: 'assistant', content: '' })];
    for (let index = 0; index < count; index++) payloads.push(chunk({ content: `word${index % 10} ` }));
    payloads.push(chunk({}, 'stop'), {
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: count, total_tokens: 12 + count },
    });
    frames = [...payloads.map((payload) => encodeRecord('openai-chat', payload)), 'data: [DONE]\n\n'];
    bodies.set(model, frames);
  }
  return frames;
}

function startUpstream() {
  const whole = JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_790_000_000,
    model: 'bench-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: openaiChatScenarios.text.expected.content },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
  });
  const server = createServer((request, response) => {
    const parts = [];
    request.on('data', (part) => parts.push(part));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}');
      if (body.stream !== true) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(whole);
        return;
      }
      const model = String(body.model ?? 'short');
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (!model.startsWith('slow-')) {
        response.end(framesOf(model).join(''));
        return;
      }
      // slow-N: N frames 10 ms apart, for the concurrent-streams stall check.
      const frames = framesOf(`long-${model.split('-')[1]}`);
      let index = 0;
      const timer = setInterval(() => {
        if (response.destroyed) return clearInterval(timer);
        response.write(frames[index++]);
        if (index === frames.length) {
          clearInterval(timer);
          response.end();
        }
      }, 10);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(`ready http://127.0.0.1:${server.address().port}`));
}

async function startTokenwire() {
  const stages =
    process.env.TOKENWIRE_BENCH_STAGES === '1' ? await import('./gateway-stages.mjs') : undefined;
  const tokenwire = createTokenwire({
    retries: 0,
    providers: {
      openai: createOpenAIAdapter({ apiKey: 'bench-key-0123456789', baseURL: `${upstreamUrl}/v1` }),
    },
  });
  // TOKENWIRE_GATEWAY_DIST: another build of @tokenwire/gateway (an A/B of two builds in one run).
  const { createGateway } = await import(process.env.TOKENWIRE_GATEWAY_DIST ?? '@tokenwire/gateway');
  const gateway = createGateway({
    tokenwire: stages === undefined ? tokenwire : stages.timedTokenwire(tokenwire),
  });
  const server = await gateway.listen({ port: 0 });
  // Garbage collection while serving, reported on SIGINT (which also lets --cpu-prof write its file).
  const gc = { count: 0, totalMs: 0, longestMs: 0, major: 0, longestMajorMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.totalMs += entry.duration;
      gc.longestMs = Math.max(gc.longestMs, entry.duration);
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.major++;
        gc.longestMajorMs = Math.max(gc.longestMajorMs, entry.duration);
      }
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGINT', () => {
    const heapMb = (process.memoryUsage().heapUsed / 1048576).toFixed(1);
    console.log(
      `gc ${gc.count} collections (${gc.major} major), ${gc.totalMs.toFixed(1)} ms in all, longest ` +
        `${gc.longestMs.toFixed(2)} ms (major ${gc.longestMajorMs.toFixed(2)} ms); heap used ${heapMb} MB`,
    );
    if (stages !== undefined) console.log(stages.stageReport());
    process.exit(0);
  });
  console.log(`ready ${server.url}`);
}

if (role === 'upstream') startUpstream();
else if (role === 'tokenwire') await startTokenwire();
else throw new Error(`unknown role ${role}`);
