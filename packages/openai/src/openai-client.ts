import { registerSecret, TokenwireError } from '@tokenwire/core';
import OpenAI, { AzureOpenAI } from 'openai';
import {
  findOpenAICompatibleService,
  OPENAI_COMPATIBLE_SERVICES,
  type OpenAICompatibleQuirks,
} from './openai-compatible-services.js';

/** Settings from which the adapter builds its `openai` client (when it is not given one). */
export interface OpenAIClientSettings {
  /** Provider name; picks the compatible-service entry (base URL, key variable, quirks). Default `'openai'`. */
  provider?: string;
  /** API key. Default: the service's environment variable (OPENAI_API_KEY for OpenAI). */
  apiKey?: string;
  /** The environment variable to read the key from, for services not in the table or to override it. */
  apiKeyEnv?: string;
  /** Base URL including the version path. Default: the service's; for OpenAI, OPENAI_BASE_URL or the public API. */
  baseURL?: string;
  /** OpenAI organization id. Default for OpenAI: OPENAI_ORG_ID; never sent to other services unless set. */
  organization?: string;
  /** OpenAI project id. Default for OpenAI: OPENAI_PROJECT_ID; never sent to other services unless set. */
  project?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** The SDK's per-request timeout in milliseconds. Default 600,000 (the SDK's). */
  timeout?: number;
  /** Overrides of the service's quirks, or the quirks of your own service. */
  quirks?: OpenAICompatibleQuirks;
  /** Azure: resource endpoint (`https://<resource>.openai.azure.com`). Default AZURE_OPENAI_ENDPOINT. */
  endpoint?: string;
  /** Azure: API version. Default OPENAI_API_VERSION; without one, `baseURL` must point at Azure's `/openai/v1` API. */
  apiVersion?: string;
  /** Azure: deployment name. Default: the model name of each request. */
  deployment?: string;
}

/** A service resolved from settings: what the client and the request mapping need. */
export interface ResolvedOpenAIService {
  provider: string;
  apiKeyEnv: string;
  quirks: OpenAICompatibleQuirks;
}

/** Resolves the provider's table entry merged with the settings; no environment is read. */
export function resolveOpenAIService(settings: OpenAIClientSettings): ResolvedOpenAIService {
  const provider = settings.provider ?? 'openai';
  const service = findOpenAICompatibleService(provider);
  return {
    provider,
    apiKeyEnv:
      settings.apiKeyEnv ??
      service?.apiKeyEnv ??
      `${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`,
    quirks: { ...service?.quirks, ...settings.quirks },
  };
}

/**
 * Builds the `openai` client for a provider with the SDK's retries off (`maxRetries: 0`; the
 * tokenwire runtime retries). Azure gets the SDK's `AzureOpenAI` client. Throws a `configuration`
 * TokenwireError that names the environment variable when the key is missing, and for an unknown
 * provider without `baseURL`. The key is registered as a secret, so it is redacted from errors.
 */
export function createOpenAIClient(
  settings: OpenAIClientSettings,
  environment: Record<string, string | undefined> = globalThis.process?.env ?? {},
): OpenAI {
  const resolved = resolveOpenAIService(settings);
  const { provider } = resolved;
  const service = findOpenAICompatibleService(provider);
  const isOpenAI = service?.name === 'openai';
  const baseURL =
    settings.baseURL || (isOpenAI ? environment.OPENAI_BASE_URL : undefined) || service?.baseURL || undefined;
  if (service?.name !== 'azure' && !baseURL) {
    throw configurationError(
      `Unknown OpenAI-compatible provider '${provider}': set baseURL (and apiKeyEnv) in its provider settings, ` +
        `or use one of: ${Object.keys(OPENAI_COMPATIBLE_SERVICES).join(', ')}.`,
      provider,
    );
  }
  const apiKey = readApiKey(settings, resolved, environment);
  const common = {
    apiKey,
    maxRetries: 0,
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

function readApiKey(
  settings: OpenAIClientSettings,
  resolved: ResolvedOpenAIService,
  environment: Record<string, string | undefined>,
): string {
  const apiKey = settings.apiKey || environment[resolved.apiKeyEnv];
  if (apiKey) {
    registerSecret(apiKey);
    return apiKey;
  }
  // Local servers (vLLM, LM Studio) accept any key; the SDK insists on having one.
  if (resolved.quirks.requiresApiKey === false) return 'not-needed';
  throw configurationError(
    `No API key for provider '${resolved.provider}': set the ${resolved.apiKeyEnv} environment variable ` +
      `or pass apiKey in the '${resolved.provider}' provider settings.`,
    resolved.provider,
  );
}

function createAzureClient(
  settings: OpenAIClientSettings,
  common: { apiKey: string; maxRetries: number; defaultHeaders?: Record<string, string>; timeout?: number },
  baseURL: string | undefined,
  environment: Record<string, string | undefined>,
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
