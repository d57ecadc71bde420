import type { Client, Tool as SdkTool } from '@modelcontextprotocol/client';
import { McpConnection } from './mcp-connection.js';
import { DEFAULT_MAX_RESULT_CHARS } from './mcp-results.js';
import { type McpServer, registerServerSecrets } from './mcp-server.js';
import { type McpTool, toTokenwireTool } from './mcp-tool.js';

/** Options of `mcpTools()`. */
export interface McpToolsOptions {
  /** Prepended with `_` to every tool name: `{ prefix: 'fs' }` names `read_file` `fs_read_file`. Default: none. */
  prefix?: string;
  /** Longer tool results are cut to this many characters, with a marker that says so. Default: 100,000. */
  maxResultChars?: number;
  /** How long one request (connect, list, call) may take, in milliseconds. Default: 60,000, the SDK's. */
  requestTimeoutMs?: number;
  /** Called with the new tools after the server said its list changed (`tools` has them already). */
  onToolsChanged?: (tools: McpTool[]) => void;
  /** Called when reading the list again after a change failed (`tools` keeps the last list). Default: ignored. */
  onError?: (error: Error) => void;
}

/** The tools of one MCP server, and the session they run on. */
export interface McpTools {
  /**
   * The server's tools as tokenwire tools, listed once and kept until the server sends
   * `notifications/tools/list_changed`; read it again at each stream to pick up a change.
   */
  readonly tools: McpTool[];
  /** The official SDK's client of the current session (a new one after a dropped HTTP session). */
  readonly client: Client | undefined;
  /** The process id of a stdio server; undefined over HTTP. */
  readonly pid: number | undefined;
  /**
   * Ends the session. A stdio server is stopped: its stdin is closed, then SIGTERM and SIGKILL
   * follow if it has not exited within 2 s each. Resolves once it has. Calls made after reject.
   */
  close(): Promise<void>;
}

/**
 * Connects to an MCP server, over stdio (`{ command, args, env }`) or Streamable HTTP
 * (`{ url, headers }`), on the official SDK (`@modelcontextprotocol/client`), and lists its tools
 * as tokenwire tools with `execute`. The stream's signal cancels a running call (the server gets
 * `notifications/cancelled`); a dropped HTTP session is opened again once, transparently; a stdio
 * server still running when the process exits is killed. Rejects with a TokenwireError (`connection`,
 * `authentication`, …) when the server cannot be reached or listed.
 *
 * @example
 * const fs = await mcpTools(
 *   { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp/work'] },
 *   { prefix: 'fs' },
 * );
 * const stream = tokenwire.stream({ model, messages, tools: fs.tools });
 * // …
 * await fs.close();
 */
export async function mcpTools(server: McpServer, options: McpToolsOptions = {}): Promise<McpTools> {
  registerServerSecrets(server);
  const mapping = {
    prefix: options.prefix,
    maxResultChars: options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS,
  };
  let tools: McpTool[] = [];
  const map = (listed: SdkTool[]): McpTool[] =>
    listed.map((tool) =>
      toTokenwireTool(tool, (name, input, signal) => connection.callTool(name, input, signal), mapping),
    );
  const connection = new McpConnection(server, {
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    onToolsChanged: (listed) => {
      tools = map(listed);
      options.onToolsChanged?.(tools);
    },
    onError: (error) => options.onError?.(error),
  });
  try {
    tools = map(await connection.listTools());
  } catch (error) {
    await connection.close();
    throw error;
  }
  return {
    get tools() {
      return tools;
    },
    get client() {
      return connection.client;
    },
    get pid() {
      return connection.pid;
    },
    close: () => connection.close(),
  };
}
