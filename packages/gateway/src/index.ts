export { createGateway } from './create-gateway.js';
export type { Gateway, GatewayAuth, GatewayOptions, GatewayServer, ListenOptions } from './gateway-types.js';
export { DEFAULT_PORT } from './listen.js';
export { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
