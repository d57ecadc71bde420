/**
 * A React chat on a tokenwire backend: `page.tsx` (`useChat` from `@tokenwire/react`) at `/`, and
 * `ai-sdk-page.tsx` (`useChat` from `@ai-sdk/react`, on `toUIMessageStream`) at `/ai-sdk`, both
 * bundled with esbuild when the server starts. Streams are resumable and stoppable on any replica:
 * run two with one REDIS_URL behind a load balancer (without it, one replica, in memory).
 * `delete_file` needs approval: the answer stops for Approve / Reject, which survive a reload.
 *
 * Run: pnpm example react-chat/server (offline) or --live, then open http://127.0.0.1:3000
 * (PORT, TOKENWIRE_MODEL, REDIS_URL, REPLICA; keys from the environment).
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type Coordinator, createTokenwire, inMemoryCoordinator, type Tool, tool } from '@tokenwire/core';
import { redisCoordinator } from '@tokenwire/redis';
import { build } from 'esbuild';
import { type ChatBackend, chatRoute, uiChatRoute } from './chat-backend.js';

const replica = process.env.REPLICA ?? 'replica';
const tools: Tool[] = [
  {
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    execute: (input) => ({ city: (input as { city?: string }).city, celsius: 21 }),
  },
  tool({
    name: 'delete_file',
    description: 'Deletes a file. Asks the user first.',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    needsApproval: true,
    execute: (input) => {
      const { path } = input as { path: string };
      console.log(`delete_file ran on ${replica}: ${path}`); // (an example: nothing is deleted)
      return `deleted ${path}`;
    },
  }),
];
const coordinator: Coordinator =
  process.env.REDIS_URL === undefined
    ? inMemoryCoordinator()
    : redisCoordinator({ url: process.env.REDIS_URL });
const backend: ChatBackend = {
  tokenwire: createTokenwire({ retries: 0, coordinator }),
  model: process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini',
  tools,
  coordinator,
};

// The two pages, bundled once (React in its production build), served from memory.
const bundles = await build({
  entryPoints: {
    page: fileURLToPath(new URL('./page.tsx', import.meta.url)),
    'ai-sdk-page': fileURLToPath(new URL('./ai-sdk-page.tsx', import.meta.url)),
  },
  bundle: true,
  write: false,
  outdir: '/assets',
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
const assets = new Map(bundles.outputFiles.map((file) => [file.path, file.contents]));
const html = (script: string) =>
  `<!doctype html><meta charset="utf-8"><title>tokenwire chat</title><div id="root"></div><script type="module" src="/assets/${script}.js"></script>`;

const server = createServer((request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  response.setHeader('x-replica', replica);
  const route = pathname.startsWith('/api/ui-chat')
    ? uiChatRoute
    : pathname.startsWith('/api/chat')
      ? chatRoute
      : undefined;
  if (route !== undefined) {
    route(backend, request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
    return;
  }
  const asset = assets.get(pathname);
  if (asset !== undefined)
    return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(asset);
  if (pathname === '/' || pathname === '/ai-sdk')
    return void response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(html(pathname === '/' ? 'page' : 'ai-sdk-page'));
  response.writeHead(404).end('Not found');
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 3000;
  console.log(`tokenwire React chat (${replica}) on http://127.0.0.1:${port} (model ${backend.model})`);
});
