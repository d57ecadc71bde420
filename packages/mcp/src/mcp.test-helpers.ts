/** Real MCP servers from npm for the tests: server-everything over stdio and Streamable HTTP, server-filesystem. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { McpStdioServer } from './mcp-server.js';

const require = createRequire(import.meta.url);
const binOf = (name: string): string =>
  join(dirname(require.resolve(`${name}/package.json`)), 'dist', 'index.js');

/** server-everything's entry point. */
export const EVERYTHING_BIN = binOf('@modelcontextprotocol/server-everything');

/** server-everything over stdio, run with this node, its stderr dropped. */
export const everythingStdio = (): McpStdioServer => ({
  command: process.execPath,
  args: [EVERYTHING_BIN, 'stdio'],
  stderr: 'ignore',
});

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** server-everything in streamableHttp mode on a loopback port, resolved once it listens. */
export interface HttpServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts server-everything's Streamable HTTP mode on `port` (a free one by default). */
export async function startEverythingHttp(port?: number): Promise<HttpServer> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [EVERYTHING_BIN, 'streamableHttp'], {
    env: { ...process.env, PORT: String(chosen) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      if (stderr.includes('listening on port')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code}): ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${chosen}/mcp`,
    port: chosen,
    child,
    stop: () => stopChild(child),
  };
}

/** Kills a child and resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** True while a process with this pid exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The streamed records of an OpenAI Chat Completions answer: text, or tool calls. */
export function openaiReply(reply: {
  text?: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
}): unknown[] {
  const chunk = (delta: object, finishReason: string | null = null) => ({
    id: 'chatcmpl-mcp',
    object: 'chat.completion.chunk',
    created: 1_790_000_000,
    model: 'replay-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const calls = reply.toolCalls ?? [];
  return [
    chunk({ role: 'assistant', content: '' }),
    ...(reply.text === undefined ? [] : [chunk({ content: reply.text })]),
    ...calls.flatMap((call, index) => [
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index, function: { arguments: call.arguments } }] }),
    ]),
    chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'),
    { ...chunk({}), choices: [], usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 } },
  ];
}
