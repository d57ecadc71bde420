import { once } from 'node:events';
import { createServer } from 'node:http';
import { createTokenwire, TokenwireError } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, type HttpServer, openaiReply, startEverythingHttp } from './mcp.test-helpers.js';
import type { McpTool } from './mcp-tool.js';
import { type McpTools, mcpTools } from './mcp-tools.js';

// server-everything in its Streamable HTTP mode, a child process listening on a loopback port.

let mcp: McpTools | undefined;
let server: HttpServer | undefined;
let replay: ReplayServer;
beforeEach(async () => {
  replay = await createReplayServer();
});
afterEach(async () => {
  await mcp?.close();
  mcp = undefined;
  await server?.stop();
  server = undefined;
  await replay.close();
});

const context = () => ({ signal: new AbortController().signal, toolCallId: 'call_1', messages: [] });
const named = (tools: McpTool[], name: string): McpTool => {
  const found = tools.find((tool) => tool.name === name);
  if (found === undefined) throw new Error(`no tool ${name}`);
  return found;
};

describe('mcpTools() over Streamable HTTP, with server-everything', () => {
  it('lists the tools with their schemas and has no process of its own', async () => {
    server = await startEverythingHttp();
    mcp = await mcpTools({ url: server.url });
    expect(mcp.pid).toBeUndefined();
    expect(named(mcp.tools, 'get-sum').parameters).toEqual({
      type: 'object',
      properties: {
        a: { type: 'number', description: 'First number' },
        b: { type: 'number', description: 'Second number' },
      },
      required: ['a', 'b'],
    });
  });

  it('runs echo and the image tool in a tool loop and sends both results back', async () => {
    server = await startEverythingHttp();
    mcp = await mcpTools({ url: server.url }, { prefix: 'ev' });
    replay.enqueue(
      {
        payloads: openaiReply({
          toolCalls: [
            { id: 'call_echo', name: 'ev_echo', arguments: '{"message":"over HTTP"}' },
            { id: 'call_image', name: 'ev_get-tiny-image', arguments: '{}' },
          ],
        }),
      },
      { payloads: openaiReply({ text: 'Done.' }) },
    );
    const adapter = createOpenAIAdapter({ apiKey: 'sk-test-mcp-0123456789', baseURL: `${replay.url}/v1` });
    const finish = await createTokenwire({ providers: { openai: adapter } })
      .stream({
        model: 'openai/gpt-4.1-mini',
        messages: [{ role: 'user', content: 'Go.' }],
        tools: mcp.tools,
      })
      .result();
    expect(finish.steps?.[0]?.toolResults.map((result) => [result.name, result.isError ?? false])).toEqual([
      ['ev_echo', false],
      ['ev_get-tiny-image', false],
    ]);
    const second = replay.requests[1]?.body as { messages: Array<Record<string, unknown>> };
    const sent = second.messages
      .filter((message) => message.role === 'tool')
      .map((message) => message.content);
    expect(sent[0]).toBe('Echo: over HTTP');
    expect(sent[1]).toContain(
      '[image (image/png), 4033 bytes, not sent: tokenwire tool results carry text only]',
    );
  });

  it('opens a new session when the server has dropped the old one (it restarted)', async () => {
    server = await startEverythingHttp();
    mcp = await mcpTools({ url: server.url });
    const echo = named(mcp.tools, 'echo');
    await expect(echo.execute({ message: 'before' }, context())).resolves.toBe('Echo: before');
    const firstClient = mcp.client;
    await server.stop();
    server = await startEverythingHttp(server.port); // same URL, no sessions
    await expect(echo.execute({ message: 'after' }, context())).resolves.toBe('Echo: after');
    expect(mcp.client).not.toBe(firstClient);
  });

  it('rejects a call in flight with a clear connection error when the server is killed, and does not hang', async () => {
    server = await startEverythingHttp();
    mcp = await mcpTools({ url: server.url });
    const call = named(mcp.tools, 'trigger-long-running-operation').execute(
      { duration: 600, steps: 600 },
      context(),
    );
    const failure = call.catch((caught: unknown) => caught); // handled from the start
    await server.stop();
    const error = await failure;
    expect(TokenwireError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'connection', provider: 'mcp' });
    expect((error as Error).message).toMatch(
      /^tools\/call `trigger-long-running-operation` on the MCP server at http:\/\/127\.0\.0\.1:\d+\/mcp failed: /,
    );
  });

  it('rejects with a TokenwireError when nothing listens, naming the URL without its query', async () => {
    const port = await freePort();
    const error = await mcpTools({ url: `http://127.0.0.1:${port}/mcp?token=abc123secret` }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'TokenwireError', code: 'connection', provider: 'mcp' });
    expect((error as Error).message).toContain(
      `connect on the MCP server at http://127.0.0.1:${port}/mcp failed`,
    );
    expect((error as Error).message).not.toContain('abc123secret');
  });

  it('never puts a header value in the error, even when the server echoes it', async () => {
    const authorization = 'Bearer mcp-live-TOKEN-4f9a8b7c6d5e';
    const apiKey = 'tenant-key-0a1b2c3d4e5f';
    // A 2025-era server (it answers the version probe "method not found") that rejects the
    // `initialize` with a body quoting the request's credentials.
    const echoing = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      const message = JSON.parse(body) as { id?: number; method?: string };
      if (message.method === 'server/discover') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: message.id,
            error: { code: -32601, message: 'Method not found' },
          }),
        );
        return;
      }
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`Rejected: ${request.headers.authorization} / ${request.headers['x-api-key']}`);
    }).listen(0, '127.0.0.1');
    await once(echoing, 'listening');
    const { port } = echoing.address() as { port: number };
    try {
      const error = await mcpTools({
        url: `http://127.0.0.1:${port}/mcp`,
        headers: { Authorization: authorization, 'X-Api-Key': apiKey },
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'server', status: 500 });
      expect((error as Error).message).toMatch(
        /failed: Error POSTing to endpoint: Rejected: \[redacted\] \/ \[redacted\]/,
      );
      const everything = JSON.stringify([(error as Error).message, (error as Error).cause, error]);
      for (const secret of [authorization, 'mcp-live-TOKEN-4f9a8b7c6d5e', apiKey])
        expect(everything).not.toContain(secret);
    } finally {
      echoing.close();
    }
  });
});
