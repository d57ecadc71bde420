import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { registerSecret } from '@tokenwire/core';
import { type Environment, environmentOf } from '@tokenwire/core/adapter';
import { processEnvironment, registerSecretHeaders } from '@tokenwire/core/internal';
import { canRequireSdkModules, sdkRequire } from './bedrock-sdk-modules.js';
import type { BedrockAdapterSettings } from './bedrock-settings.js';

/** Environment variables of the AWS default chain that hold credentials; registered as secrets. */
const CREDENTIAL_ENVIRONMENT_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
];

/**
 * The client the adapter creates when none is passed: `region`, `credentials` and the endpoint from
 * the settings (each, when unset, from the AWS default chain: AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, …),
 * `clientOptions` beside them, and the SDK's retries off (`maxAttempts: 1`: tokenwire retries).
 * It sends over HTTP/1.1 (the SDK's `NodeHttpHandler`, which it ships) rather than the SDK's default
 * HTTP/2 session: ConverseStream is one request and one streamed response, and cancelling a stream
 * then closes its own connection (DESIGN.md invariant 6) instead of resetting one stream of a
 * shared session. `clientOptions.requestHandler` replaces it.
 */
export function createBedrockClient(settings: BedrockAdapterSettings): BedrockRuntimeClient {
  const options: BedrockRuntimeClientConfig = { ...settings.clientOptions, maxAttempts: 1 };
  const fromEnv = settings.env === undefined ? {} : environmentSettings(settings.env);
  const region = settings.region ?? fromEnv.region;
  if (region !== undefined) options.region = region;
  const credentials = settings.credentials ?? fromEnv.credentials;
  if (credentials !== undefined) options.credentials = credentials;
  const endpoint = settings.endpoint ?? settings.baseURL;
  if (endpoint !== undefined) options.endpoint = endpoint;
  const client = new BedrockRuntimeClient(options);
  // The SDK's Node build gets its HTTP/1.1 handler; its browser build (a Worker's bundle, or
  // Deno's with browser conditions) keeps its own, fetch, whose web bodies that build reads.
  const nodeBuild = (client.config as { runtime?: string }).runtime === 'node';
  if (options.requestHandler !== undefined || !nodeBuild || !canRequireSdkModules()) return client;
  return new BedrockRuntimeClient({ ...options, requestHandler: newHttp1Handler() });
}

/** The region and static credentials of an `env` object (a Worker's bindings), where it has them. */
function environmentSettings(env: Environment): Pick<BedrockAdapterSettings, 'region' | 'credentials'> {
  const variables = environmentOf(env);
  const accessKeyId = variables.AWS_ACCESS_KEY_ID;
  const secretAccessKey = variables.AWS_SECRET_ACCESS_KEY;
  const sessionToken = variables.AWS_SESSION_TOKEN;
  for (const secret of [accessKeyId, secretAccessKey, sessionToken]) registerSecret(secret);
  return {
    ...(variables.AWS_REGION === undefined ? {} : { region: variables.AWS_REGION }),
    ...(accessKeyId === undefined || secretAccessKey === undefined
      ? {}
      : {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(sessionToken === undefined ? {} : { sessionToken }),
          },
        }),
  };
}

/** The SDK's HTTP/1.1 handler, from the SDK's own `@smithy/node-http-handler` (see `sdkRequire`). */
function newHttp1Handler(): NodeHttpHandler {
  const { NodeHttpHandler: Handler } = sdkRequire(
    '@smithy/node-http-handler',
  ) as typeof import('@smithy/node-http-handler');
  return new Handler();
}

/**
 * Registers every credential the adapter may send as a secret, so none shows in an error, an event
 * or a log line: static `credentials` of the settings, the default chain's environment variables,
 * and (by `registerSignedRequestSecrets`, on every request) what the chain resolved later.
 */
export function registerSettingsSecrets(settings: BedrockAdapterSettings): void {
  const credentials = settings.credentials;
  if (typeof credentials === 'object' && credentials !== null) {
    registerSecret(credentials.accessKeyId);
    registerSecret(credentials.secretAccessKey);
    registerSecret(credentials.sessionToken);
  }
  const environment = processEnvironment();
  for (const name of CREDENTIAL_ENVIRONMENT_VARIABLES) registerSecret(environment[name]);
}

/**
 * Registers the credentials a signed request carries (the access key id of its SigV4
 * `Authorization`, its `x-amz-security-token`, a bearer token), read after the SDK signed it, so
 * credentials resolved by a provider function or the default chain are redacted too. The signature
 * itself changes per request: core masks any SigV4 signature by its format.
 */
export function registerSignedRequestSecrets(headers: Record<string, string | undefined>): void {
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'authorization') {
      const keyId = /Credential=([^/,\s]+)\//.exec(value)?.[1];
      if (keyId !== undefined) registerSecret(keyId);
      else registerSecretHeaders({ authorization: value });
    } else if (lower === 'x-amz-security-token') registerSecret(value);
  }
}
