// What runs inside each runtime (workerd, Deno, Bun, and Node for the parity check): tokenwire
// streams through the first-party adapters on their direct transport, against the replay server
// the Node side started, with keys from an `env` object, and the gateway's fetch handler.
import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { createBedrockAdapter } from '@tokenwire/bedrock';
import {
  type Adapter,
  createTokenwire,
  parseSSE,
  type StreamEvent,
  type StreamRequest,
  toSSE,
  toUIMessageStream,
} from '@tokenwire/core';
import { createGateway } from '@tokenwire/gateway';
import { createGoogleAdapter } from '@tokenwire/google';
import { createOllamaAdapter } from '@tokenwire/ollama';
import * as openai from '@tokenwire/openai';

/** The adapters the cases run, each on its direct transport. */
export type AdapterKind = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'ollama' | 'bedrock';

/** One tokenwire stream; `summary` returns counts instead of every event (the bench's long streams). */
export interface StreamCase {
  kind: 'stream';
  id: string;
  adapter: AdapterKind;
  baseURL: string;
  request?: Partial<StreamRequest>;
  /** Load the adapter by name from settings (`createTokenwire({ env, providers, loadModule })`). */
  configured?: boolean;
  /** Send the stream through `toSSE` in a Response and read it back with `parseSSE`, as a browser would. */
  sse?: boolean;
  /** Send the stream as the AI SDK's UI message stream (`toUIMessageStream`) and return its body. */
  uiStream?: boolean;
  /** Call `cancel()` at the first token. */
  cancelAtFirstToken?: boolean;
  summary?: boolean;
  /** With `summary`: POST here at the finish, the finish still held, so the Node side reads the isolate's heap then. */
  probeURL?: string;
}

/** A streamed chat completion through `createGateway(…).fetch`, over the openai adapter. */
export interface GatewayCase {
  kind: 'gateway';
  id: string;
  baseURL: string;
}

/** What needs Node: the error `gateway.listen()` throws here (redisCoordinator's is tested on Node, pretending). */
export interface NodeOnlyCase {
  kind: 'node-only';
  id: string;
}

/** A case of the plan. */
export type RuntimeCase = StreamCase | GatewayCase | NodeOnlyCase;

/** Counts of a long stream, instead of its events. */
export interface StreamSummary {
  events: number;
  tokens: number;
  contentLength: number;
  toolArgumentsLength: number;
  last: string;
}

/** What one case gave: events (errors as their plain `toJSON` view), a summary, or a failure. */
export interface CaseResult {
  id: string;
  events?: unknown[];
  summary?: StreamSummary;
  gateway?: { status: number; contentType: string | null; body: string };
  /** The body of a `uiStream` case. */
  uiStream?: string;
  nodeOnly?: string[];
  failure?: string;
}

/** The environment the cases read their keys from: a Worker's bindings, or this object elsewhere. */
export const TEST_ENV: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: 'sk-runtime-test-key',
  ANTHROPIC_API_KEY: 'sk-ant-runtime-test-key',
  GEMINI_API_KEY: 'gemini-runtime-test-key',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'runtime-session-token-5f4e3d2c1b',
};

type Env = Readonly<Record<string, unknown>>;

function adapterOf(kind: AdapterKind, baseURL: string, env: Env): Adapter {
  switch (kind) {
    case 'openai-chat':
      return openai.createOpenAIAdapter({ baseURL: `${baseURL}/v1`, env });
    case 'openai-responses':
      return openai.createOpenAIAdapter({ baseURL: `${baseURL}/v1`, api: 'responses', env });
    case 'anthropic':
      return createAnthropicAdapter({ baseURL, env });
    case 'gemini':
      // The SDK named in the bundle: a Worker has no import of a package by a name known at run time.
      return createGoogleAdapter({ baseURL, sdk: 'genai', env, importModule: () => import('@google/genai') });
    case 'ollama':
      return createOllamaAdapter({ host: baseURL, env });
    case 'bedrock':
      // Region and credentials from env; where node:module is missing (a Worker) the SDK reads its own stream.
      return createBedrockAdapter({ endpoint: baseURL, env });
  }
}

function tokenwireOf(testCase: StreamCase, env: Env) {
  const retries = { maxRetries: 1, initialDelayMs: 1 };
  const timeouts = { idleMs: 5000 };
  if (testCase.configured) {
    // Configuration as plain data: the adapter module is handed over, not imported by name.
    const loadModule = async (name: string) => (name === '@tokenwire/openai' ? openai : undefined);
    const providers = { openai: { baseURL: `${testCase.baseURL}/v1` } };
    return createTokenwire({ env, providers, loadModule, retries, timeouts });
  }
  const providers = { [testCase.adapter]: adapterOf(testCase.adapter, testCase.baseURL, env) };
  return createTokenwire({ providers, retries, timeouts });
}

async function runStream(testCase: StreamCase, env: Env): Promise<CaseResult> {
  const streamed = tokenwireOf(testCase, env).stream({
    model: `${testCase.configured ? 'openai' : testCase.adapter}/test-model`,
    messages: [{ role: 'user', content: 'Hello' }],
    ...testCase.request,
  });
  if (testCase.uiStream) {
    const body = await new Response(toUIMessageStream(streamed, { messageId: 'msg_runtime' })).text();
    return { id: testCase.id, uiStream: body };
  }
  const stream = testCase.sse ? parseSSE(new Response(toSSE(streamed))) : streamed;
  if (!testCase.summary) {
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (testCase.cancelAtFirstToken && event.type === 'token') streamed.cancel();
    }
    return { id: testCase.id, events: JSON.parse(JSON.stringify(events)) };
  }
  const summary: StreamSummary = { events: 0, tokens: 0, contentLength: 0, toolArgumentsLength: 0, last: '' };
  for await (const event of stream) {
    summary.events++;
    if (event.type === 'token') summary.tokens++;
    if (event.type === 'finish') {
      summary.contentLength = event.content.length;
      for (const call of event.toolCalls) summary.toolArgumentsLength += JSON.stringify(call.input).length;
      // The isolate waits on I/O here, so its inspector answers while the finish is alive.
      if (testCase.probeURL !== undefined) await (await fetch(testCase.probeURL, { method: 'POST' })).text();
    }
    summary.last = event.type === 'error' ? `error ${event.error.code}: ${event.error.message}` : event.type;
  }
  return { id: testCase.id, summary };
}

async function runGateway(testCase: GatewayCase, env: Env): Promise<CaseResult> {
  const tokenwire = createTokenwire({
    providers: { openai: adapterOf('openai-chat', testCase.baseURL, env) },
  });
  const gateway = createGateway({ tokenwire, models: { 'gpt-4o': 'openai/test-model' } });
  const response = await gateway.fetch(
    new Request('http://gateway.test/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Hello' }],
      }),
    }),
  );
  const body = await response.text();
  return {
    id: testCase.id,
    gateway: { status: response.status, contentType: response.headers.get('content-type'), body },
  };
}

async function runNodeOnly(testCase: NodeOnlyCase): Promise<CaseResult> {
  const messages: string[] = [];
  const tokenwire = createTokenwire();
  await createGateway({ tokenwire })
    .listen({ port: 0 })
    .then(
      (server) => server.close(),
      (error: unknown) => messages.push(String((error as Error).message)),
    );
  return { id: testCase.id, nodeOnly: messages };
}

/** Runs the cases one after another (each has its own replay server) and returns what each gave. */
export async function runCases(cases: readonly RuntimeCase[], env: Env): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    try {
      if (testCase.kind === 'stream') results.push(await runStream(testCase, env));
      else if (testCase.kind === 'gateway') results.push(await runGateway(testCase, env));
      else results.push(await runNodeOnly(testCase));
    } catch (error) {
      results.push({ id: testCase.id, failure: String((error as Error)?.stack ?? error) });
    }
  }
  return results;
}
