/**
 * One replica of a tokenwire backend behind a load balancer: its streams are resumable and its
 * limits shared through Redis. Run by examples/replicas.ts and the replicas' tests (tsx, on the
 * packages' built dist), two at a time against one Redis.
 *
 * Environment: REDIS_URL; OPENAI_BASE_URL and OPENAI_API_KEY (the provider); EAST_BASE_URL and
 * WEST_BASE_URL (the two deployments of the model `chat`); REPLICA (its name); PORT (0: any).
 *
 * Routes: GET|POST /chat serves a stream, or resumes one after Last-Event-ID; POST /cancel?id=…
 * cancels a stream wherever it runs; GET /run?model=…&firstTokenMs=… runs a stream to its end and
 * answers its outcome as JSON; GET /health answers 200 once Redis answers; GET /page is a page
 * that reads /chat with EventSource.
 */
import { createServer } from 'node:http';
import { cancelSSE, createTokenwire, type StreamEvent, serveSSE } from '@tokenwire/core';
import { redisCoordinator } from '@tokenwire/redis';

const replica = process.env.REPLICA ?? 'replica';
const coordinator = redisCoordinator({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  commandTimeoutMs: 500,
});
const deployment = (name: string, url: string | undefined) => ({
  adapter: 'openai',
  apiKey: `${name}-key`,
  baseURL: url,
});
const tokenwire = createTokenwire({
  coordinator,
  retries: 0,
  providers: {
    east: deployment('east', process.env.EAST_BASE_URL),
    west: deployment('west', process.env.WEST_BASE_URL),
  },
  limits: { openai: { concurrent: 3 } },
  deployments: {
    chat: {
      strategy: 'least-busy',
      cooldownMs: 1_000,
      deployments: [
        { model: 'east/gpt-4.1', weight: 2 },
        { model: 'west/gpt-4.1', weight: 1 },
      ],
    },
  },
  hooks: [{ onWarning: (warning) => console.log(`${replica} warning ${warning.code}`) }],
});
const messages = [{ role: 'user' as const, content: 'Tell me a story.' }];

/** The outcome of a stream run to its end, as /run answers it. */
async function outcome(model: string, firstTokenMs: number | undefined): Promise<Record<string, unknown>> {
  let last: StreamEvent | undefined;
  const timeouts = firstTokenMs === undefined ? {} : { firstTokenMs };
  for await (const event of tokenwire.stream({ model, messages, timeouts })) last = event;
  if (last?.type === 'finish')
    return { replica, type: 'finish', provider: last.provider, content: last.content };
  if (last?.type === 'error')
    return { replica, type: 'error', code: last.error.code, message: last.error.message };
  return { replica, type: 'none' };
}

const page = `<!doctype html><meta charset="utf-8"><title>replicas</title><script>
  window.tokens = []; window.ids = []; window.opens = 0;
  const source = new EventSource('/chat');
  source.onopen = () => window.opens++;
  source.onmessage = (event) => { window.tokens.push(event.data); window.ids.push(event.lastEventId); };
  source.addEventListener('finish', (event) => { window.finish = JSON.parse(event.data); source.close(); });
</script>`;

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  response.setHeader('x-replica', replica);
  if (url.pathname === '/chat') {
    void serveSSE(request, response, {
      coordinator,
      retryMs: 50,
      start: () => tokenwire.stream({ model: url.searchParams.get('model') ?? 'openai/gpt-4.1', messages }),
    });
  } else if (url.pathname === '/cancel' && request.method === 'POST') {
    cancelSSE(coordinator, url.searchParams.get('id') ?? '').then(
      () => response.writeHead(204).end(),
      (error: unknown) => response.writeHead(503).end(String(error)),
    );
  } else if (url.pathname === '/run') {
    const firstTokenMs = url.searchParams.get('firstTokenMs');
    outcome(
      url.searchParams.get('model') ?? 'openai/gpt-4.1',
      firstTokenMs === null ? undefined : Number(firstTokenMs),
    ).then(
      (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  } else if (url.pathname === '/health') {
    // Answers 200 once this replica reaches Redis (after a restart: once it has reconnected).
    coordinator.cooldownLeft('health').then(
      () => response.writeHead(200).end('ok'),
      () => response.writeHead(503).end('redis unreachable'),
    );
  } else if (url.pathname === '/page') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  } else response.writeHead(404).end('Not found');
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  console.log(`${replica} on http://127.0.0.1:${port}`);
});
