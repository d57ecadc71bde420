import type { Transport } from '@modelcontextprotocol/client';
import { registerSecret } from '@tokenwire/core';

/** A local MCP server run as a child process, spoken to over its stdin and stdout. */
export interface McpStdioServer {
  /** The program, e.g. `npx` or `process.execPath`. */
  command: string;
  args?: string[];
  /**
   * Added to the SDK's safe default environment (`HOME`, `PATH`, `USER`, … on POSIX), which is all
   * the child gets otherwise: your process's other variables, keys among them, are not passed on.
   */
  env?: Record<string, string>;
  /** The child's working directory. Default: this process's. */
  cwd?: string;
  /** Where the server's stderr goes. Default: `'inherit'` (this process's stderr). */
  stderr?: 'inherit' | 'ignore' | 'pipe';
}

/** A remote MCP server over Streamable HTTP. */
export interface McpHttpServer {
  /** The MCP endpoint, e.g. `https://example.com/mcp`. */
  url: string | URL;
  /** Sent with every request (e.g. `Authorization`); their values never appear in an error message. */
  headers?: Record<string, string>;
}

/** Where the MCP server is: a command to run (stdio) or a URL (Streamable HTTP). */
export type McpServer = McpStdioServer | McpHttpServer;

const SECRET_NAME = /key|token|secret|password|auth|credential|cookie/i;

/** Header values (all of them) and secret-looking env values are redacted from every error message. */
export function registerServerSecrets(server: McpServer): void {
  if ('url' in server) {
    for (const value of Object.values(server.headers ?? {})) {
      registerSecret(value);
      registerSecret(value.replace(/^(Bearer|Basic)\s+/i, ''));
    }
    return;
  }
  for (const [name, value] of Object.entries(server.env ?? {}))
    if (SECRET_NAME.test(name)) registerSecret(value);
}

/** A new SDK transport to the server; the stdio one is loaded on first use (it needs child_process). */
export async function createTransport(server: McpServer): Promise<Transport> {
  if ('url' in server) {
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const url = typeof server.url === 'string' ? new URL(server.url) : server.url;
    return new StreamableHTTPClientTransport(url, { requestInit: { headers: { ...server.headers } } });
  }
  const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
  return new StdioClientTransport({
    command: server.command,
    ...(server.args === undefined ? {} : { args: server.args }),
    ...(server.env === undefined ? {} : { env: server.env }),
    ...(server.cwd === undefined ? {} : { cwd: server.cwd }),
    stderr: server.stderr ?? 'inherit',
  });
}

/** The pid of a stdio transport's child process, if it has one. */
export function pidOf(transport: Transport): number | undefined {
  const pid = (transport as { pid?: unknown }).pid;
  return typeof pid === 'number' ? pid : undefined;
}

// One `exit` listener for every stdio server this process started: at exit, even one that skipped
// `close()`, each is killed (synchronously, the only way an `exit` listener can), so none is orphaned.
const runningChildren = new Set<number>();
const killRunningChildren = (): void => {
  for (const pid of runningChildren) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
};

/** Kills the child at process exit unless `untrackChild` is called first. */
export function trackChild(pid: number): void {
  if (runningChildren.size === 0) process.once('exit', killRunningChildren);
  runningChildren.add(pid);
}

/** The child was closed: no kill at exit. */
export function untrackChild(pid: number): void {
  runningChildren.delete(pid);
  if (runningChildren.size === 0) process.removeListener('exit', killRunningChildren);
}
