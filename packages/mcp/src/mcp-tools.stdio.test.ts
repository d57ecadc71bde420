import { Client } from '@modelcontextprotocol/client';
import { createTokenwire, type StreamEvent, TokenwireError } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { everythingStdio, isRunning, openaiReply } from './mcp.test-helpers.js';
import type { McpTool } from './mcp-tool.js';
import { type McpTools, mcpTools } from './mcp-tools.js';

// server-everything, the MCP reference server, run over stdio as a child of the test.

let mcp: McpTools | undefined;
let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await mcp?.close();
  mcp = undefined;
  await replay.close();
});

const context = () => ({ signal: new AbortController().signal, toolCallId: 'call_1', messages: [] });
const named = (tools: McpTool[], name: string): McpTool => {
  const found = tools.find((tool) => tool.name === name);
  if (found === undefined) throw new Error(`no tool ${name} in ${tools.map((tool) => tool.name).join(', ')}`);
  return found;
};

describe('mcpTools() over stdio, with server-everything', () => {
  it('lists the tools with their JSON Schemas, descriptions and annotations, prefixed', async () => {
    mcp = await mcpTools(everythingStdio(), { prefix: 'ev' });
    expect(mcp.tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining([
        'ev_echo',
        'ev_get-tiny-image',
        'ev_get-sum',
        'ev_trigger-long-running-operation',
      ]),
    );
    const { execute: _execute, ...echo } = named(mcp.tools, 'ev_echo');
    expect(echo).toEqual({
      name: 'ev_echo',
      mcpName: 'echo',
      title: 'Echo Tool',
      description: 'Echoes back the input string',
      parameters: {
        type: 'object',
        properties: { message: { type: 'string', description: 'Message to echo' } },
        required: ['message'],
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      destructive: false,
      needsApproval: false,
    });
    expect(mcp.client?.getNegotiatedProtocolVersion()).toBe('2025-11-25'); // a 2025-era server
  });

  it('runs echo and the image tool in a tool loop and sends both results in the next request', async () => {
    mcp = await mcpTools(everythingStdio(), { prefix: 'ev' });
    replay.enqueue(
      {
        payloads: openaiReply({
          toolCalls: [
            { id: 'call_echo', name: 'ev_echo', arguments: '{"message":"hello MCP"}' },
            { id: 'call_image', name: 'ev_get-tiny-image', arguments: '{}' },
          ],
        }),
      },
      { payloads: openaiReply({ text: 'It echoed, and sent the MCP logo.' }) },
    );
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-mcp-0123456789', baseURL: `${replay.url}/v1` });
    const tokenwire = createTokenwire({ providers: { openai: adapter } });
    const stream = tokenwire.stream({
      model: 'openai/gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Echo "hello MCP", then show me the logo.' }],
      tools: mcp.tools,
    });
    const results: StreamEvent[] = [];
    for await (const event of stream) if (event.type === 'tool_result') results.push(event);
    expect((await stream.result()).content).toBe('It echoed, and sent the MCP logo.');
    const image =
      "Here's the image you requested:\n[image (image/png), 4033 bytes, not sent: tokenwire tool results carry text only]\nThe image above is the MCP logo.";
    expect(results).toEqual([
      { type: 'tool_result', toolCallId: 'call_echo', name: 'ev_echo', output: 'Echo: hello MCP' },
      { type: 'tool_result', toolCallId: 'call_image', name: 'ev_get-tiny-image', output: image },
    ]);
    const second = replay.requests[1]?.body as { messages: Array<Record<string, unknown>> };
    expect(second.messages.filter((message) => message.role === 'tool')).toEqual([
      { role: 'tool', tool_call_id: 'call_echo', content: 'Echo: hello MCP' },
      { role: 'tool', tool_call_id: 'call_image', content: image },
    ]);
  });

  it('cancels the running MCP call when the stream is cancelled', async () => {
    mcp = await mcpTools(everythingStdio());
    const long = named(mcp.tools, 'trigger-long-running-operation');
    let running: Promise<string> | undefined;
    const controller = new AbortController();
    const watched: McpTool = {
      ...long,
      execute: (input, toolContext) => {
        running = long.execute(input, toolContext);
        controller.abort(); // the MCP request is on its way: cancel the stream now
        return running;
      },
    };
    replay.enqueue({
      payloads: openaiReply({
        toolCalls: [{ id: 'call_long', name: long.name, arguments: '{"duration":600,"steps":600}' }],
      }),
    });
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-mcp-0123456789', baseURL: `${replay.url}/v1` });
    const stream = createTokenwire({ providers: { openai: adapter } }).stream({
      model: 'openai/gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Run the long operation.' }],
      tools: [watched],
      signal: controller.signal,
    });
    for await (const _event of stream);
    expect((await stream.result()).reason).toBe('cancelled');
    // Rejected by the abort, long before the 600 s operation would have ended.
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(replay.requests).toHaveLength(1); // no second step
    // The session is still usable: the cancelled call was only that one request.
    await expect(named(mcp.tools, 'echo').execute({ message: 'still here' }, context())).resolves.toBe(
      'Echo: still here',
    );
  });

  it('rejects a call in flight with a clear connection error when the server is killed, and does not hang', async () => {
    mcp = await mcpTools(everythingStdio());
    const pid = mcp.pid;
    expect(pid).toBeTypeOf('number');
    const call = named(mcp.tools, 'trigger-long-running-operation').execute(
      { duration: 600, steps: 600 },
      context(),
    );
    process.kill(pid!, 'SIGKILL');
    const error = await call.catch((caught: unknown) => caught);
    expect(TokenwireError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'connection', provider: 'mcp' });
    expect((error as Error).message).toMatch(
      /^tools\/call `trigger-long-running-operation` on the MCP server `.+` failed: Connection closed\. Check that the server is running/,
    );
    await expect(named(mcp.tools, 'echo').execute({ message: 'x' }, context())).rejects.toMatchObject({
      code: 'connection',
    });
  });

  it('close() stops the server process: its pid is gone when close resolves', async () => {
    mcp = await mcpTools(everythingStdio());
    const pid = mcp.pid!;
    expect(isRunning(pid)).toBe(true);
    await mcp.close();
    expect(isRunning(pid)).toBe(false);
    await expect(named(mcp.tools, 'echo').execute({ message: 'x' }, context())).rejects.toThrow(
      /mcpTools\(\) was closed/,
    );
  });

  it('kills a stdio server still running when this process exits (the exit listener)', async () => {
    const before = new Set(process.listeners('exit'));
    mcp = await mcpTools(everythingStdio());
    const pid = mcp.pid!;
    const added = process.listeners('exit').filter((listener) => !before.has(listener));
    expect(added).toHaveLength(1);
    const closed = new Promise<void>((resolve) => {
      mcp!.client!.onclose = resolve;
    });
    (added[0] as () => void)(); // what Node runs at exit, close() never called
    await closed;
    expect(isRunning(pid)).toBe(false);
    await mcp.close();
    expect(process.listeners('exit')).not.toContain(added[0]); // removed with the last server
  });

  it('lists once, and again only when the server says the list changed', async () => {
    const listTools = vi.spyOn(Client.prototype, 'listTools');
    let onToolsChanged: (tools: McpTool[]) => void = () => {};
    const changed = new Promise<McpTool[]>((resolve) => {
      onToolsChanged = resolve;
    });
    mcp = await mcpTools(everythingStdio(), { onToolsChanged: (tools) => onToolsChanged(tools) });
    expect(mcp.tools).toBe(mcp.tools); // kept, not listed at each read
    await named(mcp.tools, 'echo').execute({ message: 'one' }, context());
    await named(mcp.tools, 'get-sum').execute({ a: 1, b: 2 }, context());
    // server-everything registers its capability-dependent tools after initialize and says so.
    const next = await changed;
    expect(listTools).toHaveBeenCalledTimes(2); // at connect, and after list_changed: the calls listed nothing
    expect(mcp.tools).toBe(next);
    expect(next.map((tool) => tool.name)).toContain('echo');
    listTools.mockRestore();
  });
});
