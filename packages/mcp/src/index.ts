export { DEFAULT_MAX_RESULT_CHARS } from './mcp-results.js';
export type { McpHttpServer, McpServer, McpStdioServer } from './mcp-server.js';
export type { McpTool, McpToolAnnotations } from './mcp-tool.js';
export type { McpTools, McpToolsOptions } from './mcp-tools.js';
export { mcpTools } from './mcp-tools.js';
