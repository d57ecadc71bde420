// A plain application that installed the packed tarballs and the vendor SDKs with npm: it must
// type-check under strict `nodenext` and stream through every adapter from the replay server.

import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { createBedrockAdapter } from '@tokenwire/bedrock';
import {
  type Adapter,
  createTokenwire,
  type FinishEvent,
  type StreamEvent,
  sseHeaders,
  TokenwireError,
  toSSE,
} from '@tokenwire/core';
import { createGateway } from '@tokenwire/gateway';
import { createGoogleAdapter } from '@tokenwire/google';
import { type McpTool, mcpTools } from '@tokenwire/mcp';
import { createOllamaAdapter } from '@tokenwire/ollama';
import { createOpenAIAdapter } from '@tokenwire/openai';
import { openTelemetry } from '@tokenwire/otel';
import { useChat } from '@tokenwire/react';
import { ChatClient } from '@tokenwire/react/client';
import { redisCoordinator } from '@tokenwire/redis';
import {
  anthropicScenarios,
  bedrockScenarios,
  type ConformanceScenarios,
  createReplayServer,
  findInvariantViolations,
  geminiScenarios,
  ollamaScenarios,
  openaiChatScenarios,
  openaiResponsesScenarios,
} from '@tokenwire/testing';
import { createClient } from 'redis';
import { z } from 'zod';

const server = await createReplayServer();
const key = 'package-check-key';
const paths: Array<[string, Adapter, ConformanceScenarios]> = [
  ['openai chat', createOpenAIAdapter({ apiKey: key, baseURL: `${server.url}/v1` }), openaiChatScenarios],
  [
    'openai responses',
    createOpenAIAdapter({ apiKey: key, baseURL: `${server.url}/v1`, api: 'responses' }),
    openaiResponsesScenarios,
  ],
  ['anthropic', createAnthropicAdapter({ apiKey: key, baseURL: server.url }), anthropicScenarios],
  ['@google/genai', createGoogleAdapter({ apiKey: key, baseURL: server.url, sdk: 'genai' }), geminiScenarios],
  [
    '@google/generative-ai',
    createGoogleAdapter({ apiKey: key, baseURL: server.url, sdk: 'generative-ai' }),
    geminiScenarios,
  ],
  ['ollama', createOllamaAdapter({ host: server.url }), ollamaScenarios],
  [
    'bedrock',
    createBedrockAdapter({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: key },
    }),
    bedrockScenarios,
  ],
];

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const failures: string[] = [];
for (const [name, adapter, scenarios] of paths) {
  const tokenwire = createTokenwire({ providers: { check: adapter }, retries: 0 });
  const request = { model: 'check/test-model', messages: [{ role: 'user' as const, content: 'Hello' }] };
  server.enqueue({ payloads: scenarios.text.payloads });
  const text = await collect(tokenwire.stream(request));
  const toolCall = scenarios.toolCall;
  if (!('skip' in toolCall)) server.enqueue({ payloads: toolCall.payloads });
  const tools = [
    { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  ];
  const calls = 'skip' in toolCall ? [] : await collect(tokenwire.stream({ ...request, tools }));
  const finish = text.at(-1) as FinishEvent | undefined;
  const problems = [
    ...findInvariantViolations(text),
    ...(calls.length > 0 ? findInvariantViolations(calls) : []),
  ];
  if (finish?.type !== 'finish' || finish.content !== scenarios.text.expected.content) {
    const last = text.at(-1);
    problems.push(
      `text ended with ${last?.type === 'error' && TokenwireError.isInstance(last.error) ? last.error.message : JSON.stringify(last)}`,
    );
  }
  const toolFinish = calls.at(-1);
  if (
    calls.length > 0 &&
    (toolFinish?.type !== 'finish' || toolFinish.toolCalls[0]?.name !== 'get_weather')
  ) {
    problems.push(`tool call ended with ${JSON.stringify(toolFinish)}`);
  }
  console.log(
    `${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}${problems.length === 0 ? '' : `: ${problems.join('; ')}`}`,
  );
  if (problems.length > 0) failures.push(name);
}
// A structured answer typed by a zod schema: the Standard Schema types resolve from the packages.
const weather = z.object({ city: z.string(), temperature: z.number() });
const chatAdapter = createOpenAIAdapter({ apiKey: key, baseURL: `${server.url}/v1` });
const structured = createTokenwire({ providers: { check: chatAdapter }, retries: 0 }).stream({
  model: 'check/test-model',
  messages: [{ role: 'user', content: 'Weather in Paris, as JSON?' }],
  responseFormat: { type: 'json_schema', name: 'weather', schema: weather },
});
server.enqueue({
  payloads: openaiChatScenarios.textPayloads?.(['{"city": "Par', 'is", "temperature": 21.5}']) ?? [],
});
const answer = await structured.result();
const temperature: number | undefined = answer.object?.temperature;
const structuredOk = answer.object?.city === 'Paris' && temperature === 21.5;
console.log(
  `${structuredOk ? 'ok  ' : 'FAIL'} structured answer typed by zod${structuredOk ? '' : `: ${JSON.stringify(answer)}`}`,
);
if (!structuredOk) failures.push('structured answer');
// Tracing hooks from @tokenwire/otel over the API's global (no-op) providers.
let traced = 0;
const tracedClient = createTokenwire({
  providers: { check: chatAdapter },
  retries: 0,
  hooks: [openTelemetry(), { onFinish: () => traced++ }],
});
server.enqueue({ payloads: openaiChatScenarios.text.payloads });
const tracedFinish = await tracedClient
  .stream({ model: 'check/test-model', messages: [{ role: 'user', content: 'Hi' }] })
  .result();
const tracedOk = traced === 1 && tracedFinish.messages.length === 1;
console.log(`${tracedOk ? 'ok  ' : 'FAIL'} hooks from @tokenwire/otel`);
if (!tracedOk) failures.push('otel hooks');
// A node-redis client is what redisCoordinator takes (type-checked; nothing connects until a command).
const coordinated = createTokenwire({
  coordinator: redisCoordinator({ client: createClient({ url: 'redis://127.0.0.1:6379' }) }),
  limits: { check: { concurrent: 2 } },
});
console.log(
  `${typeof coordinated.stream === 'function' ? 'ok  ' : 'FAIL'} a client with a Redis coordinator`,
);
// The gateway over the chat adapter, answering a Chat Completions request on loopback.
const gateway = await createGateway({
  tokenwire: createTokenwire({ providers: { check: chatAdapter }, retries: 0 }),
  models: { fast: 'check/test-model' },
}).listen({ port: 0 });
server.enqueue({ payloads: openaiChatScenarios.text.payloads });
const completion = (await (
  await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }] }),
  })
).json()) as { choices?: Array<{ message?: { content?: string } }> };
await gateway.close();
const gatewayOk = completion.choices?.[0]?.message?.content === openaiChatScenarios.text.expected.content;
console.log(`${gatewayOk ? 'ok  ' : 'FAIL'} the gateway answers Chat Completions`);
if (!gatewayOk) failures.push('gateway');
// Governed: a virtual key on the embedded store (the pglite peer) streams, and /metrics (prom-client) counts it.
const masterKey = 'package-check-master-key-0123456789abcdef';
const governed = createGateway({
  tokenwire: createTokenwire({ providers: { check: chatAdapter }, retries: 0 }),
  models: { fast: 'check/test-model' },
  auth: { masterKey },
});
const governedServer = await governed.listen({ port: 0 });
const asMaster = { authorization: `Bearer ${masterKey}` };
const made = (await (
  await fetch(`${governedServer.url}/admin/keys`, { method: 'POST', headers: asMaster, body: '{}' })
).json()) as { key?: string };
server.enqueue({ payloads: openaiChatScenarios.text.payloads });
const governedAnswer = await fetch(`${governedServer.url}/v1/chat/completions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${made.key}` },
  body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }] }),
});
await governedAnswer.text();
await governed.flush();
const metricsText = await (await fetch(`${governedServer.url}/metrics`, { headers: asMaster })).text();
await governedServer.close();
await governed.close();
const governedOk = governedAnswer.status === 200 && metricsText.includes('tokenwire_gateway_requests_total{');
console.log(`${governedOk ? 'ok  ' : 'FAIL'} the gateway governs a virtual key (pglite, prom-client)`);
if (!governedOk) failures.push('governed gateway');
// MCP tools over the SDK client: it loads, and a server that is not there is a TokenwireError.
const closed = createServer().listen(0, '127.0.0.1');
await new Promise((resolve) => closed.once('listening', resolve));
const mcpPort = (closed.address() as { port: number }).port;
await new Promise((resolve) => closed.close(resolve));
const mcpError = await mcpTools({
  url: `http://127.0.0.1:${mcpPort}/mcp`,
  headers: { Authorization: 'Bearer x' },
})
  .then((mcp): McpTool[] => mcp.tools)
  .catch((error: unknown) => error);
const mcpOk = TokenwireError.isInstance(mcpError) && mcpError.code === 'connection';
console.log(`${mcpOk ? 'ok  ' : 'FAIL'} mcpTools() reports an MCP server that is not there`);
if (!mcpOk) failures.push('mcp');
// @tokenwire/react: ChatClient (no React) reads a toSSE endpoint; useChat loads with this React.
const chatBackend = createHttpServer((_request, response) => {
  response.writeHead(200, sseHeaders);
  const stream = createTokenwire({ providers: { check: chatAdapter }, retries: 0 }).stream({
    model: 'check/test-model',
    messages: [{ role: 'user', content: 'Hi' }],
  });
  void (async () => {
    for await (const chunk of toSSE(stream)) response.write(chunk);
    response.end();
  })();
}).listen(0, '127.0.0.1');
await new Promise((resolve) => chatBackend.once('listening', resolve));
server.enqueue({ payloads: openaiChatScenarios.text.payloads });
const chat = new ChatClient({
  api: `http://127.0.0.1:${(chatBackend.address() as { port: number }).port}/chat`,
});
await chat.send('Hi');
const shown = chat.getSnapshot().messages.at(-1)?.parts[0];
chatBackend.close();
const chatOk =
  typeof useChat === 'function' &&
  shown?.type === 'text' &&
  shown.text === openaiChatScenarios.text.expected.content;
console.log(`${chatOk ? 'ok  ' : 'FAIL'} @tokenwire/react: ChatClient streams, useChat loads with React`);
if (!chatOk) failures.push('react');
await server.close();
if (failures.length > 0) {
  console.log(`failed: ${failures.join(', ')}`);
  process.exit(1);
}
