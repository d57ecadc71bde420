// The gateway processes of the governance benchmark (gateway-governance.bench.mjs), by mode:
//   node governance-processes.mjs <upstream> open               @tokenwire/gateway, no auth
//   node governance-processes.mjs <upstream> embedded           governed: PGlite in memory, in-memory limits
//   node governance-processes.mjs <upstream> shared <pg> <redis> governed: Postgres + Redis
// Each prints `ready <url>` once listening. The master key is MASTER_KEY below (the bench's too).
import { createTokenwire } from '@tokenwire/core';
import { createGateway, postgresStore } from '@tokenwire/gateway';
import { createOpenAIAdapter } from '@tokenwire/openai';
import { redisCoordinator } from '@tokenwire/redis';

const MASTER_KEY = 'bench-master-key-0123456789abcdef0123456789';
const PRICES = { 'openai/bench-model': { input: 2, output: 8 } };
const [upstreamUrl, mode, postgresUrl, redisUrl] = process.argv.slice(2);

if (upstreamUrl !== undefined) {
  const tokenwire = createTokenwire({
    retries: 0,
    prices: PRICES,
    providers: {
      openai: createOpenAIAdapter({ apiKey: 'bench-upstream-key', baseURL: `${upstreamUrl}/v1` }),
    },
  });
  const governed = {
    masterKey: MASTER_KEY,
    pepper: 'bench-pepper-0123456789abcdef0123456789',
    prices: PRICES,
  };
  const auth =
    mode === 'open'
      ? undefined
      : mode === 'embedded'
        ? governed
        : {
            ...governed,
            store: postgresStore({ url: postgresUrl }),
            coordinator: redisCoordinator({ url: redisUrl }),
          };
  const gateway = createGateway({ tokenwire, models: { short: 'openai/bench-model' }, auth });
  const server = await gateway.listen({ port: 0 });
  console.log(`ready ${server.url}`);
}
