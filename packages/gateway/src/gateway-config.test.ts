import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-main.js';
import { parseGatewayConfig } from './gateway-config.js';

describe('the configuration file', () => {
  it('splits createTokenwire configuration from the gateway fields', () => {
    const config = parseGatewayConfig({
      providers: { openai: { apiKey: 'sk-config-0123456789' } },
      retries: 1,
      deployments: { 'gpt-4.1': { deployments: [{ model: 'openai/gpt-4.1' }] } },
      models: { fast: ['groq/llama', 'openai/gpt-4.1-mini'] },
      auth: { tokens: ['gateway-token-0123456789abcdef'] },
      port: 8080,
      host: '0.0.0.0',
    });
    expect(config).toEqual({
      tokenwire: {
        providers: { openai: { apiKey: 'sk-config-0123456789' } },
        retries: 1,
        deployments: { 'gpt-4.1': { deployments: [{ model: 'openai/gpt-4.1' }] } },
      },
      gateway: {
        models: { fast: ['groq/llama', 'openai/gpt-4.1-mini'], 'gpt-4.1': 'gpt-4.1' },
        auth: { tokens: ['gateway-token-0123456789abcdef'] },
      },
      listen: { port: 8080, host: '0.0.0.0' },
    });
  });

  it('names an unknown field with the closest known one', () => {
    expect(() => parseGatewayConfig({ model: {} })).toThrow(
      "Invalid gateway configuration: Unknown field 'model'. Did you mean models?",
    );
  });

  it('names a bad tokenwire setting by path, as createTokenwire does', () => {
    expect(() => parseGatewayConfig({ timeouts: { idleMs: 0 } })).toThrow(/timeouts\.idleMs/);
  });

  it('reads tokens from the variable auth.tokensEnv names, and refuses short ones', () => {
    const environment = { GATEWAY_TOKENS: 'token-one-0123456789, token-two-0123456789' };
    expect(parseGatewayConfig({ auth: { tokensEnv: 'GATEWAY_TOKENS' } }, environment).gateway.auth).toEqual({
      tokens: ['token-one-0123456789', 'token-two-0123456789'],
    });
    expect(() => parseGatewayConfig({ auth: { tokens: ['short'] } })).toThrow(
      'auth.tokens[0] must be a string of at least 16 characters',
    );
    expect(() => parseGatewayConfig({ auth: { tokensEnv: 'UNSET_GATEWAY_TOKENS' } }, {})).toThrow(
      /is not set/,
    );
  });

  it('reads governed auth: the master key and Postgres URL from the variables it names, prices from the file', () => {
    const environment = {
      MASTER: 'master-key-0123456789abcdef0123456789',
      DATABASE_URL: 'postgres://127.0.0.1/x',
    };
    const prices = { 'openai/gpt-4.1': { input: 2, output: 8 } };
    const config = parseGatewayConfig(
      {
        prices,
        auth: { masterKeyEnv: 'MASTER', postgresUrlEnv: 'DATABASE_URL', failOpen: { limits: true } },
      },
      environment,
    );
    expect(config.gateway.auth).toMatchObject({
      masterKey: environment.MASTER,
      prices,
      failOpen: { limits: true },
    });
    expect(() => parseGatewayConfig({ auth: { masterKeyEnv: 'UNSET' } }, {})).toThrow(
      /UNSET, which is not set/,
    );
    expect(() =>
      parseGatewayConfig({ auth: { masterKeyEnv: 'MASTER', dataDirr: 'x' } }, environment),
    ).toThrow(/auth\.dataDir/);
  });

  it('refuses a port out of range', () => {
    expect(() => parseGatewayConfig({ port: 70000 })).toThrow(
      'port must be an integer from 0 to 65535 (got 70000).',
    );
  });
});

describe('the CLI', () => {
  it('starts from a config file, says it is loopback-only without auth, and serves /v1/models', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tokenwire-gateway-cli-'));
    const path = join(folder, 'gateway.json');
    writeFileSync(path, JSON.stringify({ models: { 'gpt-4o': 'openai/gpt-4.1' }, port: 0 }));
    const lines: string[] = [];
    const server = await runCli(['--config', path], { log: (line) => lines.push(line) });
    try {
      expect(lines[0]).toMatch(/^tokenwire gateway on http:\/\/127\.0\.0\.1:\d+ \(no auth: loopback only/);
      const models = (await (await fetch(`${server?.url}/v1/models`)).json()) as {
        data: Array<{ id: string }>;
      };
      expect(models.data.map((model) => model.id)).toEqual(['gpt-4o']);
    } finally {
      await server?.close();
    }
  });

  it('refuses a file that is not JSON, naming it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tokenwire-gateway-cli-'));
    const path = join(folder, 'gateway.json');
    writeFileSync(path, '{ "port": 4000, }');
    await expect(runCli(['--config', path], { log: () => {} })).rejects.toThrow(
      `The config file ${path} is not valid JSON`,
    );
  });
});
