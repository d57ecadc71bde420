// Gateway governance on the embedded store (PGlite in memory: nothing to start): a virtual key made
// through the admin API, a stream through it with the real openai SDK, its spend row, then the key
// revoked and refused. The provider is tokenwire's replay server (no keys, no network).
// Run: pnpm example gateway-governance
import { createTokenwire } from '@tokenwire/core';
import { createGateway } from '@tokenwire/gateway';
import { createReplayServer, openaiChatScenarios } from '@tokenwire/testing';
import OpenAI from 'openai';

const upstream = await createReplayServer();
const prices = { 'openai/gpt-4.1': { input: 2, output: 8 } }; // USD per million tokens
const tokenwire = createTokenwire({
  prices,
  providers: { openai: { apiKey: 'replay-key', baseURL: `${upstream.url}/v1` } },
});
const masterKey = 'example-master-key-0123456789abcdef0123';
const gateway = createGateway({
  tokenwire,
  models: { 'gpt-4o': 'openai/gpt-4.1' },
  auth: { masterKey, prices },
});
const server = await gateway.listen({ port: 0 });
const adminApi = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${masterKey}` },
    body: JSON.stringify(body),
  });

const created = await (
  await adminApi('POST', '/admin/keys', { models: ['gpt-4o'], budget: { usd: 5, period: 'month' } })
).json();
console.log(`a key for gpt-4o with $5 a month: ${created.key.slice(0, 6)}… (shown once)`);

upstream.enqueue({ payloads: openaiChatScenarios.text.payloads });
const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: created.key, maxRetries: 0 });
const stream = await openai.chat.completions.create({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hi' }],
  stream: true,
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');

const spend = await (await adminApi('GET', `/admin/spend?keyId=${created.id}`)).json();
for (const row of spend.data)
  console.log(`\nspend: ${row.status}, ${row.inputTokens} in, ${row.outputTokens} out, $${row.costUsd}`);

await adminApi('DELETE', `/admin/keys/${created.id}`);
const refused = await openai.models.list().catch((error: { status: number }) => error);
console.log(`after revoking: HTTP ${'status' in refused ? refused.status : 200}`);

await server.close();
await gateway.close();
await upstream.close();
