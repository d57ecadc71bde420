/**
 * Two replicas of a backend on one Redis, and an answer that survives a cut connection: the load
 * balancer cuts the first connection to replica A mid-answer, parseSSE reconnects with
 * Last-Event-ID, and replica B serves the rest from Redis — every token once, in order — while A
 * keeps the provider request running. Offline: the provider is the replay server.
 *
 * Run: pnpm example replicas (needs redis-server: apt-get install redis-server; it is started on a
 * free loopback port, without persistence, and stopped at the end).
 */
import { parseSSE } from '@tokenwire/core';
import { openaiChatScenarios } from '@tokenwire/testing';
import { startCuttingProxy } from './lib/cutting-proxy.js';
import { startReplicaCluster } from './lib/replica-cluster.js';

const cluster = await startReplicaCluster();
const tokens = ['Resumable', ' streams', ' survive', ' a', ' cut', ' connection', '.'];
cluster.replay.enqueue({ payloads: openaiChatScenarios.textPayloads?.(tokens) ?? [], delayMs: 60 });
let chats = 0;
const balancer = await startCuttingProxy(() =>
  chats++ === 0 ? { target: cluster.a.url, cutAfterRecords: 4 } : { target: cluster.b.url },
);
try {
  for await (const event of parseSSE(await fetch(`${balancer.url}/chat`))) {
    if (event.type === 'token') console.log(`token ${JSON.stringify(event.content)}`);
    if (event.type === 'finish') console.log(`finish: ${event.reason}, "${event.content}"`);
  }
  for (const request of balancer.requests) {
    const replica = request.target === cluster.a.url ? 'A' : 'B';
    console.log(`request to replica ${replica}, Last-Event-ID: ${request.lastEventId ?? 'none'}`);
  }
} finally {
  await balancer.close();
  await cluster.close();
}
