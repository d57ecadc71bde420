import type { TokenwireError } from '@tokenwire/core';
import type { Environment, SettingKind } from '@tokenwire/core/adapter';
import { isPlainObject, settingProblem } from '@tokenwire/core/internal';
import type OpenAI from 'openai';
import type { OpenAICompatibleQuirks } from './openai-compatible-services.js';

/**
 * Settings of `createOpenAIAdapter`: a ready client, or what to build one from. The same settings,
 * as plain data (all but `client`), go under `providers.<name>` in `createTokenwire`.
 */
export interface OpenAIAdapterSettings {
  /**
   * Provider name; picks the compatible-service entry (base URL, key variable, quirks) and is named
   * in errors. Default `'openai'`; in configuration, the name under `providers`.
   */
  provider?: string;
  /** Which API to stream from: Chat Completions (default `'chat'`) or the Responses API. */
  api?: 'chat' | 'responses';
  /**
   * Who reads the 200 response body. Both send the request through the SDK (auth, base URL,
   * headers, Azure, its errors for non-2xx answers). `'direct'` (default) takes the raw response
   * (`.asResponse()`) and decodes its server-sent events with tokenwire's own synchronous decoder,
   * one async step per network read; `'sdk'` lets the SDK parse the stream (the escape hatch).
   */
  transport?: 'direct' | 'sdk';
  /**
   * An `openai` client (`OpenAI` or `AzureOpenAI`) used as is and exposed as `adapter.client`.
   * tokenwire still sends every request with `maxRetries: 0`, as the runtime retries. Its key
   * (also one its `apiKey` function resolves) and the credential headers of its `defaultHeaders`
   * are registered as secrets; a `baseURL` with `user:password@` is a `configuration` error.
   */
  client?: OpenAI;
  /** API key. Default: the service's environment variable (OPENAI_API_KEY for OpenAI). */
  apiKey?: string;
  /** The environment variable to read the key from, for services not in the table or to override it. */
  apiKeyEnv?: string;
  /**
   * Where the key, OPENAI_BASE_URL and the Azure variables are read instead of `process.env`: a Worker's
   * `env` bindings. Default: `process.env` where it exists; `createTokenwire({ env })` passes its own.
   */
  env?: Environment;
  /**
   * Base URL including the version path. Default: the service's; for OpenAI, OPENAI_BASE_URL or the
   * public API. A URL with `user:password@` (here or in OPENAI_BASE_URL) is refused: use `headers`.
   */
  baseURL?: string;
  /** OpenAI organization id. Default for OpenAI: OPENAI_ORG_ID; never sent to other services unless set. */
  organization?: string;
  /** OpenAI project id. Default for OpenAI: OPENAI_PROJECT_ID; never sent to other services unless set. */
  project?: string;
  /** Headers sent with every request. Default none. */
  headers?: Record<string, string>;
  /** The SDK's per-request timeout in milliseconds. Default 600,000 (the SDK's). */
  timeout?: number;
  /** Overrides of the service's quirks, or the quirks of your own service. Default: the service's. */
  quirks?: OpenAICompatibleQuirks;
  /** Azure: resource endpoint (`https://<resource>.openai.azure.com`), without credentials. Default AZURE_OPENAI_ENDPOINT. */
  endpoint?: string;
  /** Azure: API version. Default OPENAI_API_VERSION; without one, `baseURL` must point at Azure's `/openai/v1` API. */
  apiVersion?: string;
  /** Azure: deployment name. Default: the model name of each request. */
  deployment?: string;
}

/** Every setting the adapter accepts, with its kind, for `defineAdapter`'s check. */
export const OPENAI_SETTING_KINDS: Readonly<Record<keyof OpenAIAdapterSettings | 'adapter', SettingKind>> = {
  adapter: 'string',
  provider: 'string',
  api: ['chat', 'responses'],
  transport: ['direct', 'sdk'],
  client: 'object',
  apiKey: 'string',
  apiKeyEnv: 'string',
  env: 'object',
  baseURL: 'url',
  organization: 'string',
  project: 'string',
  headers: 'headers',
  timeout: 'number',
  quirks: 'object',
  endpoint: 'url',
  apiVersion: 'string',
  deployment: 'string',
};

const QUIRK_KINDS: Readonly<Record<keyof OpenAICompatibleQuirks, 'boolean' | readonly string[]>> = {
  streamOptions: 'boolean',
  maxTokensField: ['max_tokens', 'max_completion_tokens'],
  requiresApiKey: 'boolean',
  structuredOutput: ['native', 'json_object', 'json_schema', 'instructions'],
};

/**
 * The `configuration` problem of the `quirks` setting, which core checks only as an object: an
 * unknown quirk (a typo would otherwise be ignored) or a value of the wrong kind. Undefined when fine.
 */
export function findQuirksProblem(quirks: unknown, provider: string): TokenwireError | undefined {
  if (!isPlainObject(quirks)) return undefined;
  const known = Object.keys(QUIRK_KINDS);
  for (const key in quirks) {
    const path = `quirks.${key} (provider '${provider}')`;
    const kind = QUIRK_KINDS[key as keyof OpenAICompatibleQuirks];
    const value = quirks[key];
    if (kind === undefined)
      return settingProblem(path, `is not a known quirk (known: ${known.join(', ')})`, value, provider);
    if (value === undefined) continue;
    if (kind === 'boolean' ? typeof value !== 'boolean' : !kind.includes(value as string)) {
      const rule = kind === 'boolean' ? 'must be a boolean' : `must be one of ${kind.join(', ')}`;
      return settingProblem(path, rule, value, provider);
    }
  }
  return undefined;
}
