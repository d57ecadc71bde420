/**
 * Forwards a tokenwire stream to the browser over server-sent events with `toSSE`; the page
 * (sse-page/index.html) reads it back with `parseSSE` and renders tokens and tool calls live.
 * Pressing Stop closes the browser's connection, which cancels the upstream provider request.
 *
 * Run: pnpm example sse-server (offline) or pnpm example sse-server --live, then open http://127.0.0.1:3000
 * (PORT to change the port, TOKENWIRE_MODEL to change the model; keys from the environment).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenwire, type Message, sseHeaders, type Tool, toSSE } from '@tokenwire/core';

const tokenwire = createTokenwire();
const model = process.env.TOKENWIRE_MODEL ?? 'openai/gpt-4.1-mini';
const tools: Tool[] = [
  {
    name: 'get_weather',
    description: 'The current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

// The page imports @tokenwire/core in the browser, from core's built files, and eventsource-parser
// (core's one dependency) through an import map: no bundler needed.
const coreEntry = fileURLToPath(import.meta.resolve('@tokenwire/core'));
const moduleDirectories: Record<string, string> = {
  'tokenwire-core': dirname(coreEntry),
  'eventsource-parser': dirname(createRequire(coreEntry).resolve('eventsource-parser')),
};
const page = fileURLToPath(new URL('./sse-page/index.html', import.meta.url));

async function readJson(request: IncomingMessage): Promise<{ messages?: Message[] }> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return JSON.parse(body || '{}');
}

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  try {
    if (request.method === 'POST' && pathname === '/chat') {
      const { messages = [] } = await readJson(request);
      const events = toSSE(tokenwire.stream({ model, messages, tools })).getReader();
      // When the browser goes away (Stop, a closed tab), cancelling the SSE body cancels the
      // tokenwire stream, which closes the provider connection.
      response.on('close', () => void events.cancel());
      response.writeHead(200, sseHeaders);
      for (let read = await events.read(); !read.done; read = await events.read()) response.write(read.value);
      response.end();
      return;
    }
    if (request.method === 'GET' && pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(await readFile(page));
      return;
    }
    const module = /^\/modules\/([\w-]+)\/([\w.-]+\.js(?:\.map)?)$/.exec(pathname);
    const directory = module?.[1] === undefined ? undefined : moduleDirectories[module[1]];
    if (request.method === 'GET' && directory !== undefined && module?.[2] !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(await readFile(join(directory, module[2])));
      return;
    }
    response.writeHead(404).end('Not found');
  } catch (error) {
    if (!response.headersSent) response.writeHead(500);
    response.end();
    console.error(error);
  }
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 3000;
  console.log(`tokenwire SSE demo on http://127.0.0.1:${port} (model ${model})`);
});
