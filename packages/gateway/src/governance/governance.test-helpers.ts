import { createAnthropicAdapter } from '@tokenwire/anthropic';
import {
  type Coordinator,
  createTokenwire,
  type ModelPrice,
  type Timeouts,
  type TokenwireHooks,
} from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';
import type { ReplayServer } from '@tokenwire/testing';
import { createGateway } from '../create-gateway.js';
import type { Gateway, GatewayServer } from '../gateway-types.js';
import type { GatewayStore } from './gateway-store.js';
import type { GovernedAuth } from './governance-options.js';

/** The provider key the gateway sends upstream. */
export const UPSTREAM_KEY = 'upstream-secret-key-governance-77';
/** The master key of the tests' gateways. */
export const MASTER_KEY = 'master-key-0123456789abcdef0123456789abcdef';
/** The tests' pepper. */
export const PEPPER = 'pepper-0123456789abcdef0123456789abcdef';

/** Prices per million tokens, high enough that a few requests spend a $0.05 budget. */
export const PRICES: Record<string, ModelPrice> = {
  'openai/test-model': { input: 100, output: 300 },
  'anthropic/test-model': { input: 100, output: 300 },
};

/** A governed gateway on loopback over the replay server. */
export interface GovernedFixture {
  gateway: Gateway;
  server: GatewayServer;
  /** Every hook event the tokenwire client saw: what tracing hooks (spans) are made of. */
  hookEvents: unknown[];
  close(): Promise<void>;
}

/** Starts a governed gateway over `upstream`, with `store` and `coordinator` (defaults: embedded) and more hooks (`tracing`). */
export async function startGoverned(
  upstream: ReplayServer,
  auth: Partial<GovernedAuth> & { store?: GatewayStore; coordinator?: Coordinator } = {},
  timeouts: Timeouts = {},
  tracing: TokenwireHooks[] = [],
): Promise<GovernedFixture> {
  const hookEvents: unknown[] = [];
  const hooks: TokenwireHooks = {
    onRequest: (event) => void hookEvents.push(event),
    onFinish: (event) => void hookEvents.push(event),
    onError: (event) => void hookEvents.push(event),
    onWarning: (event) => void hookEvents.push(event),
  };
  const tokenwire = createTokenwire({
    retries: 0,
    timeouts,
    hooks: [hooks, ...tracing],
    prices: PRICES,
    providers: {
      openai: createOpenAIAdapter({ apiKey: UPSTREAM_KEY, baseURL: `${upstream.url}/v1` }),
      anthropic: createAnthropicAdapter({ apiKey: UPSTREAM_KEY, baseURL: upstream.url }),
    },
  });
  const gateway = createGateway({
    tokenwire,
    models: { 'gpt-4o': 'openai/test-model', claude: 'anthropic/test-model', free: 'openai/unpriced' },
    auth: { masterKey: MASTER_KEY, pepper: PEPPER, prices: PRICES, spendFlushMs: 50, ...auth },
  });
  const server = await gateway.listen({ port: 0 });
  return {
    gateway,
    server,
    hookEvents,
    async close() {
      await server.close();
      await gateway.close();
    },
  };
}

/** Calls the admin API with the master key. */
export async function admin(
  server: GatewayServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // /metrics is text
  }
  return { status: response.status, body: parsed, text };
}

/** Creates a key through the admin API; returns its id and text. */
export async function createKey(server: GatewayServer, settings: Record<string, unknown> = {}) {
  const answer = await admin(server, 'POST', '/admin/keys', settings);
  if (answer.status !== 201) throw new Error(`POST /admin/keys answered ${answer.status}: ${answer.text}`);
  return { id: String(answer.body.id), key: String(answer.body.key) };
}
