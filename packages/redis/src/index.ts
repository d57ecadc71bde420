export type { RedisClientLike } from './redis-connection.js';
export type { RedisCoordinator, RedisCoordinatorOptions } from './redis-coordinator.js';
export { redisCoordinator } from './redis-coordinator.js';
