import { TokenwireError, type TokenwireErrorCode } from '@tokenwire/core';
import type { McpServer } from './mcp-server.js';

/** How an error names the server: the command line of a stdio server, the URL of an HTTP one (no query, no credentials). */
export function describeServer(server: McpServer): string {
  if ('url' in server) {
    const url = new URL(server.url);
    return `the MCP server at ${url.origin}${url.pathname}`;
  }
  const commandLine = [server.command, ...(server.args ?? [])].join(' ');
  return `the MCP server \`${commandLine.length > 120 ? `${commandLine.slice(0, 117)}…` : commandLine}\``;
}

/** What the SDK's errors carry that the mapping reads. */
interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  message?: unknown;
  data?: unknown;
}

const codeOf = (error: unknown): unknown => (error as SdkErrorShape | undefined)?.code;
const statusOf = (error: unknown): number | undefined => {
  const status = (error as SdkErrorShape | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
};

/**
 * A JSON-RPC error the server answered with (unknown tool, invalid arguments): the server is
 * reachable and the model may correct its call, so the loop sends it back as an error result.
 */
export function isProtocolError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ProtocolError' && typeof codeOf(error) === 'number';
}

/**
 * The server forgot the HTTP session (it restarted, or expired it): 404 as the spec says, or the
 * 400 "No valid session ID" many servers (the reference ones among them) answer instead.
 */
export function isSessionLost(error: unknown): boolean {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : '';
  return status === 404 || (status === 400 && /session/i.test(message));
}

function codeFor(error: unknown): TokenwireErrorCode {
  const status = statusOf(error);
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status !== undefined && status >= 500) return 'server';
  if (codeOf(error) === 'REQUEST_TIMEOUT') return 'timeout';
  return 'connection';
}

const ADVICE: Partial<Record<TokenwireErrorCode, string>> = {
  authentication: 'Check the credentials in `headers`.',
  permission: 'Check that the credentials in `headers` allow this.',
  server: 'The server failed; its logs may say why.',
  timeout: 'The server took longer than `requestTimeoutMs`; raise it or check the server.',
  connection: 'Check that the server is running (a stdio server writes why it stopped to its stderr).',
};

/**
 * A transport failure (the server process exited, the connection closed or was refused, an HTTP
 * error, a timeout) as a TokenwireError that names the server and the operation. Header values and
 * other registered secrets are redacted by TokenwireError; `cause` is a sanitized copy.
 */
export function transportError(error: unknown, server: McpServer, operation: string): TokenwireError {
  if (TokenwireError.isInstance(error)) return error;
  const code = codeFor(error);
  const reason = error instanceof Error ? error.message : String(error);
  const advice = ADVICE[code] ?? '';
  return new TokenwireError({
    code,
    provider: 'mcp',
    status: statusOf(error),
    message: `${operation} on ${describeServer(server)} failed: ${reason}. ${advice}`.trim(),
    cause: error,
  });
}
