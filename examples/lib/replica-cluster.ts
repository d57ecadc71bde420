/**
 * Two replica processes (lib/replica-server.ts, with tsx on the built packages) on one Redis, with
 * replay servers as their providers: `replay` for `openai/…`, `east` and `west` for the two
 * deployments of `chat`. For the replicas' tests and examples/replicas.ts.
 */
import { createReplayServer, type ReplayServer } from '@tokenwire/testing';
import { type RedisTestServer, startRedisServer } from '@tokenwire/testing/internal';
import { type ExampleServer, startExampleServer } from './start-example-server.js';

/** A running cluster. */
export interface ReplicaCluster {
  redis: RedisTestServer;
  replay: ReplayServer;
  east: ReplayServer;
  west: ReplayServer;
  a: ExampleServer;
  b: ExampleServer;
  /** Fetches `path` of a replica and parses its JSON. */
  json(replica: ExampleServer, path: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts Redis, the replay servers and replicas A and B. */
export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const redis = await startRedisServer();
  const [replay, east, west] = await Promise.all([
    createReplayServer(),
    createReplayServer(),
    createReplayServer(),
  ]);
  const environment = (replica: string) => ({
    REPLICA: replica,
    PORT: '0',
    REDIS_URL: redis.url,
    OPENAI_BASE_URL: `${replay.url}/v1`,
    OPENAI_API_KEY: 'replay-key',
    EAST_BASE_URL: `${east.url}/v1`,
    WEST_BASE_URL: `${west.url}/v1`,
  });
  const [a, b] = await Promise.all([
    startExampleServer('lib/replica-server.ts', environment('A')),
    startExampleServer('lib/replica-server.ts', environment('B')),
  ]);
  return {
    redis,
    replay,
    east,
    west,
    a,
    b,
    json: async (replica, path) =>
      (await (await fetch(`${replica.url}${path}`)).json()) as Record<string, unknown>,
    close: async () => {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([replay.close(), east.close(), west.close(), redis.close()]);
    },
  };
}
