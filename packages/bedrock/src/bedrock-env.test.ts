import { describe, expect, it } from 'vitest';
import { createBedrockAdapter } from './bedrock-adapter.js';

describe('the Bedrock adapter with env (a Worker’s bindings)', () => {
  const env = {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    CACHE: { get: () => undefined },
  };

  it('takes the region and static credentials from env when the settings have none', async () => {
    const client = createBedrockAdapter({ env }).client;
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.credentials()).toMatchObject({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
  });

  it('keeps the settings’ own region and credentials over env’s', async () => {
    const credentials = { accessKeyId: 'AKIAOWNKEYEXAMPLE000', secretAccessKey: 'own-secret-key-123456' };
    const client = createBedrockAdapter({ env, region: 'us-west-2', credentials }).client;
    expect(await client.config.region()).toBe('us-west-2');
    expect(await client.config.credentials()).toMatchObject(credentials);
  });
});
