import { TokenwireError } from '../model/errors.js';
import { registerSecret } from '../model/redact.js';
import { registerSecretHeaders } from '../model/secret-headers.js';
import type { Adapter } from '../model/types.js';
import type { Environment } from './environment.js';
import { installCommand } from './install-command.js';

/**
 * Plain, JSON-able settings of a provider. `adapter` names the adapter package that serves it
 * (`'openai'` loads `@tokenwire/openai`); every other field is passed to that package's
 * `createAdapter(settings)` together with `provider`, the provider's name.
 */
export interface ProviderSettings {
  /** Adapter package name, e.g. 'openai' for any OpenAI-compatible service. Defaults from the provider name. */
  adapter?: string;
  /** API key; defaults to the provider's usual environment variable (read by the adapter). */
  apiKey?: string;
  baseURL?: string;
  /** Where the adapter reads its key and defaults instead of `process.env`; default the client's `env`. */
  env?: Environment;
  [setting: string]: unknown;
}

/** What an adapter package exports for configuration-driven loading. */
export interface AdapterModule {
  /** Creates the adapter for a provider from its configured settings (plus its name as `provider`). */
  createAdapter(settings: ProviderSettings & { provider: string }): Adapter;
}

/** Imports an adapter package by name; replaceable for bundlers and tests. */
export type ModuleLoader = (packageName: string) => Promise<unknown>;

/**
 * Providers served by an adapter package with another name. Every OpenAI-compatible service is
 * served by @tokenwire/openai, which holds their base URLs, key variables and quirks.
 */
export const ADAPTER_OF_PROVIDER: Readonly<Record<string, string>> = {
  gemini: 'google',
  vertex: 'google',
  azure: 'openai',
  deepseek: 'openai',
  qwen: 'openai',
  dashscope: 'openai',
  zhipu: 'openai',
  glm: 'openai',
  moonshot: 'openai',
  kimi: 'openai',
  doubao: 'openai',
  siliconflow: 'openai',
  minimax: 'openai',
  groq: 'openai',
  xai: 'openai',
  openrouter: 'openai',
  together: 'openai',
  fireworks: 'openai',
  mistral: 'openai',
  vllm: 'openai',
  lmstudio: 'openai',
};

/** The peer SDK each first-party adapter needs, for install hints. */
export const VENDOR_SDK_OF_ADAPTER: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: '@anthropic-ai/sdk',
  google: '@google/genai',
  ollama: 'ollama',
  bedrock: '@aws-sdk/client-bedrock-runtime',
};

/**
 * Names of one provider (LiteLLM's `gemini/…` is Google's Gemini API, `google/…` here): a model
 * string under either name uses the settings configured under the other when its own are absent.
 */
const SAME_PROVIDER: Readonly<Record<string, string>> = { gemini: 'google', google: 'gemini' };

const PROVIDER_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** The adapter package name that serves a provider. */
export function adapterNameOf(provider: string, settings: ProviderSettings | undefined): string {
  return settings?.adapter ?? ADAPTER_OF_PROVIDER[provider] ?? provider;
}

/**
 * Creates adapters from configuration and caches one per provider. A configured `Adapter`
 * instance is used as is; settings (or nothing) load `@tokenwire/<adapter>` on first use.
 */
export class ProviderRegistry {
  private readonly adapters = new Map<string, Promise<Adapter>>();

  constructor(
    private readonly providers: Record<string, Adapter | ProviderSettings>,
    private readonly loadModule: ModuleLoader,
    /** The client's `env`, given to the adapters created from settings that set none of their own. */
    private readonly env?: Environment,
  ) {
    for (const value of Object.values(providers)) {
      if (!isAdapter(value)) {
        registerSecret(value.apiKey);
        registerSecretHeaders(value.headers);
      }
    }
  }

  /** The adapter for a provider, loading its package on first use. Rejects with a `configuration` error. */
  adapter(provider: string): Promise<Adapter> {
    const sameProvider = SAME_PROVIDER[provider];
    if (
      this.providers[provider] === undefined &&
      sameProvider !== undefined &&
      this.providers[sameProvider] !== undefined
    )
      return this.adapter(sameProvider);
    let adapter = this.adapters.get(provider);
    if (adapter === undefined) {
      adapter = this.create(provider);
      this.adapters.set(provider, adapter);
      // a failed load is not cached, so installing the package fixes a long-lived client
      adapter.catch(() => this.adapters.delete(provider));
    }
    return adapter;
  }

  private async create(provider: string): Promise<Adapter> {
    const configured = this.providers[provider];
    if (configured !== undefined && isAdapter(configured)) return configured;
    if (!PROVIDER_NAME.test(provider)) {
      throw configurationError(
        `'${provider}' is not a valid provider name: use lower-case letters, digits, '.', '_' or '-'. Nothing was sent.`,
      );
    }
    const adapterName = adapterNameOf(provider, configured);
    const packageName = adapterName.includes('/') ? adapterName : `@tokenwire/${adapterName}`;
    let module: unknown;
    try {
      module = await this.loadModule(packageName);
    } catch (error) {
      if (!isModuleNotFound(error)) {
        throw configurationError(
          `Loading ${packageName} for provider '${provider}' failed: ${String(error)}`,
          error,
        );
      }
      const sdk = VENDOR_SDK_OF_ADAPTER[adapterName];
      const known = sdk !== undefined;
      const install = known ? await installCommand([packageName, sdk]) : '';
      throw configurationError(
        known
          ? `Provider '${provider}' needs the package ${packageName}. Install it: ${install}. Nothing was sent.`
          : `Unknown provider '${provider}': no package ${packageName} is installed. Configure it in ` +
              `providers (an Adapter, or settings with { adapter: 'openai', baseURL } for an OpenAI-compatible service), ` +
              `or install ${packageName}. Nothing was sent.`,
        error,
      );
    }
    const createAdapter = (module as Partial<AdapterModule> | undefined)?.createAdapter;
    if (typeof createAdapter !== 'function') {
      throw configurationError(
        `${packageName} does not export createAdapter(settings), so it is not a tokenwire adapter package.`,
      );
    }
    const env = configured?.env ?? this.env;
    return createAdapter({ ...(configured ?? {}), provider, ...(env === undefined ? {} : { env }) });
  }
}

/**
 * The default `ModuleLoader`: `import(name)` from core's own folder, and when that finds nothing,
 * from the application's folder (`process.cwd()`). The second look finds adapters installed beside
 * core where core's folder cannot see them (pnpm with `hoist=false`, workspaces, linked packages).
 */
export async function importAdapterModule(packageName: string): Promise<unknown> {
  try {
    return await import(packageName);
  } catch (error) {
    if (!isModuleNotFound(error) || globalThis.process?.cwd === undefined) throw error;
    try {
      // Names a bundler does not follow: a Worker's bundle has no node:module, and never gets here
      // (its adapters are objects, or `loadModule` imports them).
      const { createRequire } = (await import(NODE_MODULE)) as typeof import('node:module');
      const { pathToFileURL } = (await import(NODE_URL)) as typeof import('node:url');
      const resolved = createRequire(`${process.cwd()}/`).resolve(packageName);
      return await import(pathToFileURL(resolved).href);
    } catch {
      throw error; // report the first failure: it names the package as the application imports it
    }
  }
}

const NODE_MODULE = 'node:module';
const NODE_URL = 'node:url';

/** True for an object that implements the Adapter interface. */
export function isAdapter(value: unknown): value is Adapter {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Adapter).stream === 'function' &&
    typeof (value as Adapter).name === 'string'
  );
}

/** True for the error `import()` throws for a package that is not installed. */
export function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)/.test(message)
  );
}

function configurationError(message: string, cause?: unknown): TokenwireError {
  return new TokenwireError({ code: 'configuration', message, cause });
}
