import { readFile } from 'node:fs/promises';
import { type Coordinator, createTokenwire } from '@tokenwire/core';
import { createGateway } from './create-gateway.js';
import { parseGatewayConfig } from './gateway-config.js';
import type { GatewayServer } from './gateway-types.js';
import { DEFAULT_PORT, isLoopback } from './listen.js';

const USAGE = `Usage: tokenwire-gateway [--config gateway.json] [--port 4000] [--host 127.0.0.1]

Serves OpenAI Chat Completions (/v1/chat/completions), Anthropic Messages (/v1/messages) and
OpenAI Responses (/v1/responses) over tokenwire. The config file holds createTokenwire's
configuration (providers, retries, timeouts, limits, deployments, prices) plus "models"
(aliases), "auth" ({ "tokens": [...] }, { "tokensEnv": "NAME" }, or virtual keys:
{ "masterKeyEnv": "NAME", "postgresUrlEnv"?, "dataDir"?, "redisUrlEnv"?, … }), "port" and "host".`;

/** The Redis coordinator of `redisUrlEnv`, from `@tokenwire/redis` (installed beside the gateway). */
async function redisCoordinatorOf(url: string): Promise<Coordinator> {
  try {
    // By a variable: the gateway does not depend on @tokenwire/redis, which the user installs.
    const specifier = '@tokenwire/redis';
    const module = (await import(specifier)) as { redisCoordinator(options: { url: string }): Coordinator };
    return module.redisCoordinator({ url });
  } catch {
    throw new Error(
      'auth.redisUrlEnv needs @tokenwire/redis and redis: run `npm install @tokenwire/redis redis`.',
    );
  }
}

/** Where the CLI writes. */
export interface CliOutput {
  log(line: string): void;
}

function argumentValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value. ${USAGE}`);
  return value;
}

/**
 * Runs the CLI: reads and checks the config file, starts the gateway and resolves with the running
 * server. Rejects with an Error that says what to fix.
 */
export async function runCli(args: string[], output: CliOutput): Promise<GatewayServer | undefined> {
  if (args.includes('--help') || args.includes('-h')) {
    output.log(USAGE);
    return undefined;
  }
  const unknown = args.find((arg) => arg.startsWith('--') && !['--config', '--port', '--host'].includes(arg));
  if (unknown !== undefined) throw new Error(`Unknown option ${unknown}. ${USAGE}`);
  const path = argumentValue(args, '--config');
  let file: unknown = {};
  if (path !== undefined) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`Cannot read the config file ${path}: ${error.code ?? error.message}.`);
    });
    try {
      file = JSON.parse(text);
    } catch (error) {
      throw new Error(`The config file ${path} is not valid JSON: ${(error as Error).message}.`);
    }
  }
  const config = parseGatewayConfig(file);
  const port = argumentValue(args, '--port');
  if (port !== undefined)
    config.listen.port = parseGatewayConfig({ port: Number(port) }).listen.port ?? DEFAULT_PORT;
  config.listen.host = argumentValue(args, '--host') ?? config.listen.host ?? '127.0.0.1';
  const auth = config.gateway.auth;
  if (config.redisUrl !== undefined && auth !== undefined && 'masterKey' in auth)
    auth.coordinator = await redisCoordinatorOf(config.redisUrl);
  const gateway = createGateway({ tokenwire: createTokenwire(config.tokenwire), ...config.gateway });
  const server = await gateway.listen(config.listen);
  const access =
    auth === undefined
      ? 'no auth: loopback only; set "auth" to serve other hosts'
      : 'masterKey' in auth
        ? 'virtual keys; admin API at /admin/keys with the master key'
        : `auth: ${auth.tokens.length} token(s)`;
  output.log(`tokenwire gateway on ${server.url} (${access})`);
  if (config.gateway.auth !== undefined && isLoopback(config.listen.host)) {
    output.log('Bound to loopback: set "host" (e.g. "0.0.0.0") to serve other machines.');
  }
  const models = config.gateway.models === undefined ? [] : Object.keys(config.gateway.models);
  output.log(
    `models: ${models.length === 0 ? "none configured (clients name 'provider/model')" : models.join(', ')}`,
  );
  return server;
}
