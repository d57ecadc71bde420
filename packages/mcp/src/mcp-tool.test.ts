import type { CallToolResult } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { isDestructive, toolName, toTokenwireTool } from './mcp-tool.js';

const context = { signal: new AbortController().signal, toolCallId: 'call_1', messages: [] };
const answering = (result: CallToolResult) => async () => result;

describe('toTokenwireTool()', () => {
  it('keeps the name, description, title, annotations and the schema without $schema', () => {
    const tool = toTokenwireTool(
      {
        name: 'read_file',
        title: 'Read file',
        description: 'Reads a file.',
        inputSchema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { path: { type: 'string' } },
          required: ['path'],
        },
        annotations: { readOnlyHint: true },
      },
      answering({ content: [] }),
      { prefix: 'fs', maxResultChars: 100 },
    );
    const { execute: _execute, ...described } = tool;
    expect(described).toEqual({
      name: 'fs_read_file',
      mcpName: 'read_file',
      title: 'Read file',
      description: 'Reads a file.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      annotations: { readOnlyHint: true },
      destructive: false,
      needsApproval: false,
    });
  });

  it('calls the tool by its MCP name and returns its text, cut at maxResultChars', async () => {
    const calls: unknown[] = [];
    const tool = toTokenwireTool(
      { name: 'echo', inputSchema: { type: 'object' } },
      async (name, input) => {
        calls.push([name, input]);
        return { content: [{ type: 'text', text: 'abcdefghij' }] };
      },
      { prefix: 'ev', maxResultChars: 4 },
    );
    await expect(tool.execute({ message: 'hi' }, context)).resolves.toBe(
      'abcd\n[truncated by @tokenwire/mcp: the result had 10 characters, the first 4 are kept]',
    );
    expect(calls).toEqual([['echo', { message: 'hi' }]]);
  });

  it("throws the server's message for an isError result, for the loop to send back as an error result", async () => {
    const tool = toTokenwireTool(
      { name: 'write', inputSchema: { type: 'object' } },
      answering({ isError: true, content: [{ type: 'text', text: 'Access denied: /etc' }] }),
      { maxResultChars: 100 },
    );
    await expect(tool.execute({}, context)).rejects.toThrow(/^Access denied: \/etc$/);
  });
});

describe('toolName()', () => {
  it('prefixes with an underscore and replaces characters providers reject', () => {
    expect(toolName('read_file', 'fs')).toBe('fs_read_file');
    expect(toolName('get-tiny-image', undefined)).toBe('get-tiny-image');
    expect(toolName('files.read', 'x')).toBe('x_files_read');
    expect(toolName('a'.repeat(80), 'p')).toHaveLength(64);
  });
});

describe('isDestructive()', () => {
  it("follows MCP's defaults: destructive unless read-only or destructiveHint is false", () => {
    expect(isDestructive(undefined)).toBe(true);
    expect(isDestructive({})).toBe(true);
    expect(isDestructive({ destructiveHint: true })).toBe(true);
    expect(isDestructive({ readOnlyHint: true })).toBe(false);
    expect(isDestructive({ readOnlyHint: false, destructiveHint: false })).toBe(false);
  });
});
