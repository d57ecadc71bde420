import { type CallToolResult, Client, type Tool as SdkTool } from '@modelcontextprotocol/client';
import { isProtocolError, isSessionLost, transportError } from './mcp-errors.js';
import { createTransport, type McpServer, pidOf, trackChild, untrackChild } from './mcp-server.js';

/** What the connection needs from its owner. */
export interface ConnectionOptions {
  /** Per request. */
  requestTimeoutMs: number;
  /** The server sent `notifications/tools/list_changed` and the list was read again. */
  onToolsChanged: (tools: SdkTool[]) => void;
  /** Reading the list again after a `list_changed` failed. */
  onError: (error: Error) => void;
}

const CLIENT_INFO = { name: 'tokenwire', version: '0.1.0' };

/**
 * One MCP client session with a server, on the official SDK: connects with version negotiation
 * (`server/discover` first, so a 2026-07-28 server runs stateless; a 2025-era server gets the
 * `initialize` handshake), re-connects once when an HTTP server has dropped the session, and
 * turns transport failures into TokenwireErrors.
 */
export class McpConnection {
  #client: Client | undefined;
  // Kept from the start: the SDK's transport forgets it once the process has exited.
  #pid: number | undefined;
  #opening: Promise<Client> | undefined;
  #closed = false;

  constructor(
    readonly server: McpServer,
    private readonly options: ConnectionOptions,
  ) {}

  /** The SDK client of the current session. */
  get client(): Client | undefined {
    return this.#client;
  }

  /** The stdio server's process id; undefined over HTTP. */
  get pid(): number | undefined {
    return this.#pid;
  }

  /** Connects (once; again after a dropped HTTP session). */
  open(): Promise<Client> {
    if (this.#closed)
      return Promise.reject(transportError(new Error('mcpTools() was closed'), this.server, 'connect'));
    if (this.#client !== undefined) return Promise.resolve(this.#client);
    this.#opening ??= this.#connect().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #connect(): Promise<Client> {
    const transport = await createTransport(this.server);
    const client = new Client(CLIENT_INFO, {
      versionNegotiation: { mode: 'auto' },
      listChanged: {
        tools: {
          onChanged: (error, tools) => {
            if (error !== null) this.options.onError(transportError(error, this.server, 'tools/list'));
            else if (tools !== null) this.options.onToolsChanged(tools);
          },
        },
      },
    });
    try {
      await client.connect(transport, { timeout: this.options.requestTimeoutMs });
    } catch (error) {
      await transport.close().catch(() => {});
      throw transportError(error, this.server, 'connect');
    }
    const pid = pidOf(transport);
    if (pid !== undefined) trackChild(pid);
    this.#client = client;
    this.#pid = pid;
    return client;
  }

  /** Every tool the server has (all pages). */
  async listTools(): Promise<SdkTool[]> {
    const client = await this.open();
    try {
      return (await client.listTools(undefined, { timeout: this.options.requestTimeoutMs })).tools;
    } catch (error) {
      throw transportError(error, this.server, 'tools/list');
    }
  }

  /**
   * Calls a tool. A JSON-RPC error of the server is thrown as is (the loop sends it to the model);
   * a transport failure as a TokenwireError; an abort as the signal's reason, after the SDK has sent
   * `notifications/cancelled`.
   */
  async callTool(name: string, input: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const operation = `tools/call \`${name}\``;
    const call = async (): Promise<CallToolResult> => {
      const client = await this.open();
      return client.callTool(
        { name, arguments: input },
        { signal, timeout: this.options.requestTimeoutMs },
      ) as Promise<CallToolResult>;
    };
    try {
      try {
        return await call();
      } catch (error) {
        if (signal.aborted || !('url' in this.server) || !isSessionLost(error)) throw error;
        await this.#drop();
        return await call();
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isProtocolError(error)) throw error;
      throw transportError(error, this.server, operation);
    }
  }

  /** Forgets the session (closing what is left of it) so the next call connects again. */
  async #drop(): Promise<void> {
    const client = this.#client;
    const pid = this.#pid;
    this.#client = undefined;
    this.#pid = undefined;
    if (pid !== undefined) untrackChild(pid);
    await client?.close().catch(() => {});
  }

  /** Closes the session; a stdio server is stopped (stdin closed, then SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#opening?.catch(() => {});
    await this.#drop();
  }
}
