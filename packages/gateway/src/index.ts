export { createGateway } from './create-gateway.js';
export type { Gateway, GatewayAuth, GatewayOptions, GatewayServer, ListenOptions } from './gateway-types.js';
export type {
  BudgetState,
  GatewayStore,
  KeyBudget,
  KeyLimits,
  KeyRecord,
  Reservation,
  SpendQuery,
  SpendRow,
} from './governance/gateway-store.js';
export type { GovernedAuth } from './governance/governance-options.js';
export type { PGliteLike, PGliteStoreOptions } from './governance/pglite-store.js';
export { pgliteStore } from './governance/pglite-store.js';
export type { PostgresLike, PostgresStoreOptions } from './governance/postgres-store.js';
export { postgresStore } from './governance/postgres-store.js';
export { VIRTUAL_KEY_PREFIX } from './governance/virtual-keys.js';
export { DEFAULT_PORT } from './listen.js';
export { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
