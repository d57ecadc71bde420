import { createAnthropicAdapter } from '@tokenwire/anthropic';
import { createBedrockAdapter } from '@tokenwire/bedrock';
import { createTokenwire, type FinishEvent, type StreamEvent, type TokenwireHooks } from '@tokenwire/core';
import { createGoogleAdapter } from '@tokenwire/google';
import { createOllamaAdapter } from '@tokenwire/ollama';
import { createOpenAIAdapter } from '@tokenwire/openai';
import {
  anthropicScenarios,
  bedrockScenarios,
  type ConformanceScenarios,
  createReplayServer,
  geminiScenarios,
  ollamaScenarios,
  openaiChatScenarios,
  type ReplayServer,
} from '@tokenwire/testing';
import { createGateway } from './create-gateway.js';
import type { Gateway, GatewayOptions, GatewayServer } from './gateway-types.js';

/** The provider keys the gateway sends upstream: long enough to be registered as secrets. */
export const UPSTREAM_KEY = 'upstream-secret-key-5e4d3c2b1a';
/** A gateway token for the tests that turn auth on. */
export const GATEWAY_TOKEN = 'gateway-token-0123456789abcdef';

/** One provider the gateway reaches, with the scenarios of its wire. */
export interface Upstream {
  provider: string;
  scenarios: ConformanceScenarios;
}

/** The six providers of the matrix: five first-party adapters and one OpenAI-compatible service. */
export const UPSTREAMS: readonly Upstream[] = [
  { provider: 'openai', scenarios: openaiChatScenarios },
  { provider: 'anthropic', scenarios: anthropicScenarios },
  { provider: 'google', scenarios: geminiScenarios },
  { provider: 'ollama', scenarios: ollamaScenarios },
  { provider: 'bedrock', scenarios: bedrockScenarios },
  { provider: 'deepseek', scenarios: openaiChatScenarios },
];

/** A tokenwire client whose providers all stream from the replay server, without retries. */
export function replayTokenwire(server: ReplayServer, hooks: TokenwireHooks[] = []) {
  const url = server.url;
  return createTokenwire({
    retries: 0,
    hooks,
    providers: {
      openai: createOpenAIAdapter({ apiKey: UPSTREAM_KEY, baseURL: `${url}/v1` }),
      deepseek: createOpenAIAdapter({ provider: 'deepseek', apiKey: UPSTREAM_KEY, baseURL: `${url}/v1` }),
      anthropic: createAnthropicAdapter({ apiKey: UPSTREAM_KEY, baseURL: url }),
      google: createGoogleAdapter({ apiKey: UPSTREAM_KEY, baseURL: url, sdk: 'genai' }),
      ollama: createOllamaAdapter({ host: url }),
      bedrock: createBedrockAdapter({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: UPSTREAM_KEY },
      }),
    },
  });
}

/** A replay server, a gateway over it listening on loopback, and how to stop both. */
export interface GatewayFixture {
  upstream: ReplayServer;
  gateway: Gateway;
  server: GatewayServer;
  /** Every terminal event the hooks saw (finish or error), in order. */
  endings: Array<{ type: 'finish' | 'error'; reason?: string; usage: FinishEvent['usage'] }>;
  close(): Promise<void>;
}

/** Starts a replay server and a gateway over it on a free loopback port. */
export async function startGateway(options: Partial<GatewayOptions> = {}): Promise<GatewayFixture> {
  const upstream = await createReplayServer();
  const endings: GatewayFixture['endings'] = [];
  const hooks: TokenwireHooks = {
    onFinish: (event) => {
      endings.push({ type: 'finish', reason: event.event.reason, usage: event.usage });
    },
    onError: (event) => {
      endings.push({ type: 'error', usage: event.partial.usage });
    },
  };
  const gateway = createGateway({ tokenwire: replayTokenwire(upstream, [hooks]), ...options });
  const server = await gateway.listen({ port: 0 });
  return {
    upstream,
    gateway,
    server,
    endings,
    async close() {
      await server.close();
      await upstream.close();
    },
  };
}

/** What tokenwire itself makes of a scenario's payloads: the reference a client's answer must equal. */
export async function tokenwireFinish(
  server: ReplayServer,
  provider: string,
  payloads: unknown[],
  tools = false,
): Promise<FinishEvent> {
  server.enqueue({ payloads });
  const events: StreamEvent[] = [];
  const stream = replayTokenwire(server).stream({
    model: `${provider}/test-model`,
    messages: [{ role: 'user', content: 'Hello' }],
    ...(tools ? { tools: [WEATHER_TOOL] } : {}),
  });
  for await (const event of stream) events.push(event);
  const last = events.at(-1);
  if (last?.type !== 'finish') throw new Error(`tokenwire ended with ${JSON.stringify(last)}`);
  return last;
}

/** The tool the scenarios' calls name. */
export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};
