import { registerSecret } from '@tokenwire/core';
import type { GatewayRequest } from './exchange.js';
import type { GatewayAuth } from './gateway-types.js';
import { type GovernedAuth, governedAuthProblem } from './governance/governance-options.js';

/**
 * Decides whether a request may be served. `GatewayAuth`'s static tokens today; the governance
 * layer (virtual keys in a store, with budgets and limits) plugs in here as another one.
 */
export interface Authenticator {
  /** Undefined when the request may go on; otherwise why not (never quoting the credential). */
  refuse(request: GatewayRequest): string | undefined;
}

/** The credential a client sent: `Authorization: Bearer …` or `x-api-key`. */
export function credentialOf(request: GatewayRequest): string | undefined {
  const apiKey = request.header('x-api-key');
  if (apiKey !== null && apiKey !== '') return apiKey;
  const authorization = request.header('authorization');
  if (authorization === null) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return match?.[1];
}

/** Compares in time that depends on the lengths only, so a guess learns nothing from timing. */
function sameText(left: string, right: string): boolean {
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    difference |= (left.charCodeAt(index) | 0) ^ (right.charCodeAt(index) | 0);
  }
  return difference === 0;
}

/** The problem with an `auth` option, or undefined. */
export function authProblem(auth: unknown): string | undefined {
  if (typeof auth === 'object' && auth !== null && 'masterKey' in auth)
    return governedAuthProblem(auth as GovernedAuth);
  if (typeof auth !== 'object' || auth === null || !Array.isArray((auth as GatewayAuth).tokens))
    return 'auth must be { tokens: [...] }, a list of the tokens clients send, or { masterKey, store? } for virtual keys';
  const tokens = (auth as GatewayAuth).tokens;
  if (tokens.length === 0) return 'auth.tokens must list at least one token';
  const index = tokens.findIndex((token) => typeof token !== 'string' || token.length < 16);
  if (index >= 0) return `auth.tokens[${index}] must be a string of at least 16 characters`;
  const extra = Object.keys(auth).find((key) => key !== 'tokens');
  return extra === undefined ? undefined : `Unknown field 'auth.${extra}'. Known: tokens.`;
}

/** The authenticator of a static token list; the tokens are registered as secrets (redacted everywhere). */
export function staticTokens(auth: GatewayAuth): Authenticator {
  const tokens = [...auth.tokens];
  for (const token of tokens) registerSecret(token);
  return {
    refuse(request) {
      const credential = credentialOf(request);
      if (credential === undefined)
        return 'No credential: send your gateway token as "Authorization: Bearer <token>" or "x-api-key: <token>".';
      let accepted = false;
      for (const token of tokens) accepted = sameText(credential, token) || accepted;
      return accepted ? undefined : 'The gateway token is not valid: check the token your client sends.';
    },
  };
}
