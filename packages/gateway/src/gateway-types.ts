import type { Tokenwire } from '@tokenwire/core';
import type { GovernedAuth } from './governance/governance-options.js';

/**
 * Who may call the gateway: a static list of tokens, sent as `Authorization: Bearer <token>` (the
 * openai SDK, curl, Codex) or `x-api-key: <token>` (the anthropic SDK, Claude Code). A token is
 * compared in constant time and never appears in a response, a log line or an error.
 */
export interface GatewayAuth {
  /** The accepted tokens; at least one, each at least 16 characters. */
  tokens: readonly string[];
}

/** What `createGateway` takes. */
export interface GatewayOptions {
  /** The client every request streams through: its providers, retries, limits, hooks and prices. */
  tokenwire: Tokenwire;
  /**
   * Model names clients may ask for, each a tokenwire model string or a list tried in order
   * (fallbacks): `{ 'gpt-4o': 'openai/gpt-4.1', fast: ['groq/llama-3.3-70b', 'openai/gpt-4.1-mini'] }`.
   * A request may also name a `provider/model` string directly. `GET /v1/models` lists these names.
   * Default none.
   */
  models?: Record<string, string | readonly string[]>;
  /**
   * Who may call: static `tokens`, or governed virtual keys (`{ masterKey, store? }`, see
   * `GovernedAuth`). Default none: every request is served, and `listen` binds loopback only.
   */
  auth?: GatewayAuth | GovernedAuth;
  /**
   * The largest request body read, in bytes; a larger one is refused with 413 before more of it is
   * read. Default 32 MiB (`DEFAULT_MAX_BODY_BYTES`), room for a long conversation with images.
   */
  maxBodyBytes?: number;
}

/** Where `gateway.listen` binds. */
export interface ListenOptions {
  /** Default 4000; 0 picks a free port. */
  port?: number;
  /**
   * Default `'127.0.0.1'`. Another address needs `auth`: without it, `listen` refuses, so that an
   * open gateway is never reachable from the network by accident.
   */
  host?: string;
}

/** A running gateway server. */
export interface GatewayServer {
  /** `http://host:port`, no trailing slash; clients take `url + '/v1'` (openai) or `url` (anthropic). */
  url: string;
  /** Stops accepting connections, ends open streams (their upstream streams are cancelled) and resolves when closed. */
  close(): Promise<void>;
}

/** A gateway: the HTTP dialects of OpenAI Chat Completions, Anthropic Messages and OpenAI Responses over one tokenwire client. */
export interface Gateway {
  /** Answers one request, on any runtime with `Request` and `Response` (Node 20+, Bun, Deno, Workers). */
  fetch(request: Request): Promise<Response>;
  /** Serves `fetch` over `node:http` (Node only), streaming both ways without buffering. */
  listen(options?: ListenOptions): Promise<GatewayServer>;
  /** With governed auth: waits for the settlements in flight and writes the queued spend rows. */
  flush(): Promise<void>;
  /** Flushes, stops governance's timers and closes the store the gateway made (not one you passed). */
  close(): Promise<void>;
}
