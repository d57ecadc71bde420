import { TokenwireError } from '@tokenwire/core';
import { environmentOf, loadApiKey } from '@tokenwire/core/adapter';
import {
  credentialedUrlProblem,
  hasUrlCredentials,
  type SdkLogger,
  sdkLogger,
} from '@tokenwire/core/internal';
import OpenAI, { AzureOpenAI } from 'openai';
import {
  findOpenAICompatibleService,
  OPENAI_COMPATIBLE_SERVICES,
  type OpenAICompatibleQuirks,
} from './openai-compatible-services.js';
import type { OpenAIAdapterSettings } from './openai-settings.js';

/** What the client builds its `openai` client from: the adapter settings but `client` and `api`. */
export type OpenAIClientSettings = Omit<OpenAIAdapterSettings, 'client' | 'api'>;

type Environment = Record<string, string | undefined>;

/** The key sent to local servers that need none (the SDK insists on one): not a secret. */
export const NO_API_KEY = 'not-needed';

/** A service resolved from settings: what the client and the request mapping need. */
export interface ResolvedOpenAIService {
  provider: string;
  apiKeyEnv: string;
  quirks: OpenAICompatibleQuirks;
}

/** Resolves the provider's table entry merged with the settings; reads no environment and never throws. */
export function resolveOpenAIService(settings: OpenAIClientSettings): ResolvedOpenAIService {
  const provider = settings.provider ?? 'openai';
  const service = findOpenAICompatibleService(provider);
  return {
    provider,
    apiKeyEnv:
      settings.apiKeyEnv ??
      service?.apiKeyEnv ??
      `${String(provider)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '_')}_API_KEY`,
    quirks: { ...service?.quirks, ...settings.quirks },
  };
}

/**
 * Builds the `openai` client for a provider with the SDK's retries off (`maxRetries: 0`; the
 * tokenwire runtime retries). Azure gets the SDK's `AzureOpenAI` client. The key comes from
 * `apiKey` or the service's environment variable (`loadApiKey`, which registers it as a secret);
 * services with `requiresApiKey: false` (vLLM, LM Studio) work without one. Throws a
 * `configuration` TokenwireError for a missing key (naming the variable) and for an unknown
 * provider without `baseURL`; the adapter calls it on the first request.
 */
export function createOpenAIClient(
  settings: OpenAIClientSettings,
  environment: Environment = environmentOf(undefined),
): OpenAI {
  const resolved = resolveOpenAIService(settings);
  const { provider } = resolved;
  const service = findOpenAICompatibleService(provider);
  const isOpenAI = service?.name === 'openai';
  const baseURL =
    settings.baseURL || (isOpenAI ? environment.OPENAI_BASE_URL : undefined) || service?.baseURL || undefined;
  // Core refuses credentials in the baseURL setting; the environment is the adapter's to check.
  if (baseURL && hasUrlCredentials(baseURL)) {
    const source = settings.baseURL ? 'baseURL' : 'the OPENAI_BASE_URL environment variable';
    throw credentialedUrlProblem(source, provider);
  }
  if (service?.name !== 'azure' && !baseURL) {
    throw configurationError(
      `Unknown OpenAI-compatible provider '${provider}': set baseURL (and apiKeyEnv) in its provider settings, ` +
        `or use one of: ${Object.keys(OPENAI_COMPATIBLE_SERVICES).join(', ')}.`,
      provider,
    );
  }
  const common = {
    apiKey: loadOpenAIApiKey(settings, resolved, environment),
    maxRetries: 0,
    // The SDK logs a malformed record before throwing the error the stream reports: not twice.
    logger: sdkLogger,
    ...(settings.headers === undefined ? {} : { defaultHeaders: settings.headers }),
    ...(settings.timeout === undefined ? {} : { timeout: settings.timeout }),
  };
  try {
    if (service?.name === 'azure') return createAzureClient(settings, common, baseURL, environment);
    return new OpenAI({
      ...common,
      baseURL,
      // The SDK reads OPENAI_ORG_ID/OPENAI_PROJECT_ID when these are undefined: never send
      // OpenAI's organization to another service.
      organization: settings.organization ?? (isOpenAI ? undefined : null),
      project: settings.project ?? (isOpenAI ? undefined : null),
    });
  } catch (error) {
    if (TokenwireError.isInstance(error)) throw error;
    throw configurationError(
      `Creating the openai client for '${provider}' failed: ${(error as Error).message}`,
      provider,
      error,
    );
  }
}

function loadOpenAIApiKey(
  settings: OpenAIClientSettings,
  resolved: ResolvedOpenAIService,
  environment: Environment,
): string {
  const configured =
    (settings.apiKey !== undefined && settings.apiKey !== '') || !!environment[resolved.apiKeyEnv];
  // Local servers (vLLM, LM Studio) accept any key; the SDK insists on having one.
  if (!configured && resolved.quirks.requiresApiKey === false) return NO_API_KEY;
  return loadApiKey({
    apiKey: settings.apiKey,
    environmentVariables: [resolved.apiKeyEnv],
    provider: resolved.provider,
    environment,
  });
}

interface CommonClientOptions {
  apiKey: string;
  maxRetries: number;
  logger: SdkLogger;
  defaultHeaders?: Record<string, string>;
  timeout?: number;
}

function createAzureClient(
  settings: OpenAIClientSettings,
  common: CommonClientOptions,
  baseURL: string | undefined,
  environment: Environment,
): OpenAI {
  const apiVersion = settings.apiVersion ?? environment.OPENAI_API_VERSION;
  // Azure's v1 API (…/openai/v1) is OpenAI's own and takes no api-version: the plain client fits.
  // https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle
  if (!apiVersion && baseURL) return new OpenAI({ ...common, baseURL, organization: null, project: null });
  if (!apiVersion) {
    throw configurationError(
      "Azure OpenAI needs an API version: set OPENAI_API_VERSION or apiVersion in the 'azure' provider settings " +
        "(or set baseURL to your resource's /openai/v1 API, which needs none).",
      'azure',
    );
  }
  const endpoint = baseURL ? undefined : settings.endpoint || environment.AZURE_OPENAI_ENDPOINT;
  if (endpoint && hasUrlCredentials(endpoint)) {
    const source = settings.endpoint ? 'endpoint' : 'the AZURE_OPENAI_ENDPOINT environment variable';
    throw credentialedUrlProblem(source, 'azure');
  }
  if (!baseURL && !endpoint) {
    throw configurationError(
      "Azure OpenAI needs its endpoint: set AZURE_OPENAI_ENDPOINT or endpoint in the 'azure' provider settings.",
      'azure',
    );
  }
  return new AzureOpenAI({
    ...common,
    apiVersion,
    // null, not undefined: the SDK would otherwise read OPENAI_BASE_URL and reject it next to `endpoint`.
    ...(baseURL ? { baseURL } : { endpoint, baseURL: null }),
    ...(settings.deployment === undefined ? {} : { deployment: settings.deployment }),
  });
}

function configurationError(message: string, provider?: string, cause?: unknown): TokenwireError {
  return new TokenwireError({ code: 'configuration', message, provider, cause });
}
