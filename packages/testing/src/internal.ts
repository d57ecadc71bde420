/**
 * `@tokenwire/testing/internal`: the CI plumbing of tokenwire's own suites — Debian packages and
 * a Redis server installed and started on loopback, seeded byte splits, the first-party scenarios'
 * building blocks and the replay server's protocol helpers. Not a stable API: applications and
 * adapter authors use the root entry and `./conformance`.
 */

export { vertexAnthropicWire } from './built-in-formats.js';
export type { ByteSplit } from './byte-splits.js';
export { cutOffsets, seededRandom } from './byte-splits.js';
export { installDebianPackage } from './debian-package.js';
export type { PostgresTestServer } from './postgres-server.js';
export { startPostgresServer } from './postgres-server.js';
export type { RedisTestServer } from './redis-server.js';
export { installRedisServer, REDIS_SERVER_PATH, startRedisServer } from './redis-server.js';
export {
  conformanceTools,
  conversationTexts,
  imageConversation,
  toolConversation,
} from './scenarios/conversation.js';
export type { InvalidRequestCase } from './scenarios/invalid-requests.js';
export { invalidRequestCases } from './scenarios/invalid-requests.js';
export { googleStatus, protocolOfPath } from './wire-formats.js';
