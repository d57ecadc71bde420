import type { CallToolResult, Tool as SdkTool } from '@modelcontextprotocol/client';
import type { JsonSchema, Tool, ToolExecutionContext } from '@tokenwire/core';
import { resultText } from './mcp-results.js';

/** The MCP hints about a tool's behaviour, as the server declared them (all optional, untrusted). */
export interface McpToolAnnotations {
  title?: string;
  /** The tool changes nothing. MCP's default: false. */
  readOnlyHint?: boolean;
  /** The tool may delete or overwrite (when not read-only). MCP's default: true. */
  destructiveHint?: boolean;
  /** Calling it twice with the same input does no more than once. MCP's default: false. */
  idempotentHint?: boolean;
  /** The tool reaches outside systems (the web, …). MCP's default: true. */
  openWorldHint?: boolean;
}

/**
 * An MCP server's tool as a tokenwire tool: give it to `tools` of a stream and tokenwire runs it
 * when the model calls it. `execute` returns the result as text (see `resultText`), and throws the
 * server's message for an `isError` result, which the tool loop sends back to the model as an
 * error result.
 */
export interface McpTool extends Tool<Record<string, unknown>, string> {
  /** The name the model sees: the MCP name, prefixed (`fs_read_file`) and with any character providers reject replaced by `_`. */
  name: string;
  /** The tool's name on the MCP server. */
  mcpName: string;
  /** The input's JSON Schema, as the server listed it (without `$schema`). */
  parameters: JsonSchema;
  /** The display title, from `title` or `annotations.title`. */
  title?: string;
  annotations?: McpToolAnnotations;
  /**
   * True unless the annotations say the tool is read-only or not destructive (MCP's defaults make
   * an unannotated tool destructive). Such tools need approval (`needsApproval`) by default.
   */
  destructive: boolean;
  /** `destructive`: the stream stops for the user's decision before running it. Set it to `false` to run it freely. */
  needsApproval: boolean;
  execute(input: Record<string, unknown>, context: ToolExecutionContext): Promise<string>;
}

/** How a mapped tool runs its call. */
export type CallMcpTool = (
  name: string,
  input: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<CallToolResult>;

/** Naming and result limits of the mapping. */
export interface MapToolOptions {
  prefix?: string;
  maxResultChars: number;
}

/** `fs` + `read_file` → `fs_read_file`; characters outside `[A-Za-z0-9_-]` become `_`, at most 64. */
export function toolName(mcpName: string, prefix: string | undefined): string {
  const name = prefix === undefined || prefix === '' ? mcpName : `${prefix}_${mcpName}`;
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** True when the annotations do not rule out destructive updates (MCP's defaults). */
export function isDestructive(annotations: McpToolAnnotations | undefined): boolean {
  return annotations?.readOnlyHint !== true && annotations?.destructiveHint !== false;
}

/** An MCP tool, as listed, to a tokenwire tool whose `execute` calls it through `call`. */
export function toTokenwireTool(listed: SdkTool, call: CallMcpTool, options: MapToolOptions): McpTool {
  const { $schema: _dialect, ...parameters } = listed.inputSchema as JsonSchema & { $schema?: unknown };
  const annotations = listed.annotations as McpToolAnnotations | undefined;
  const title = listed.title ?? annotations?.title;
  const mapped: McpTool = {
    name: toolName(listed.name, options.prefix),
    mcpName: listed.name,
    parameters,
    destructive: isDestructive(annotations),
    needsApproval: isDestructive(annotations),
    async execute(input, { signal }) {
      const result = await call(listed.name, input ?? {}, signal);
      const text = resultText(result, options.maxResultChars);
      if (result.isError === true) throw new Error(text || 'the server reported an error and no message');
      return text;
    },
  };
  if (listed.description !== undefined) mapped.description = listed.description;
  if (title !== undefined) mapped.title = title;
  if (annotations !== undefined) mapped.annotations = annotations;
  return mapped;
}
