import { TokenwireError } from '@tokenwire/core';
import { installCommand, isModuleNotFound } from '@tokenwire/core/internal';
import type { GoogleChunk } from './google-types.js';

// Both SDKs are optional peers, so their types cannot appear in ours: these interfaces describe
// the little the adapter calls, and the real clients are assignable to them. Parameters are
// typed `never` on purpose: the adapter builds the SDK's parameters itself.

/** The part of `GoogleGenAI` (`@google/genai`) the adapter uses. */
export interface GenAIClientLike {
  readonly models: {
    /** Starts a streamed generation (`ai.models.generateContentStream`). */
    generateContentStream(params: never): Promise<AsyncIterable<GoogleChunk>>;
  };
}

/** The part of `GoogleGenerativeAI` (`@google/generative-ai`, deprecated) the adapter uses. */
export interface GenerativeAIClientLike {
  /** A model handle with the generation settings (`genAI.getGenerativeModel`). */
  getGenerativeModel(
    params: never,
    requestOptions?: never,
  ): {
    /** Starts a streamed generation; `response` must always be caught (it rejects when the stream fails). */
    generateContentStream(
      request: never,
      requestOptions?: never,
    ): Promise<{ stream: AsyncIterable<GoogleChunk>; response: Promise<unknown> }>;
  };
}

/** A client of either Google SDK. */
export type GoogleClient = GenAIClientLike | GenerativeAIClientLike;

/** Which Google SDK serves the adapter: `genai` (`@google/genai`) or `generative-ai` (legacy). */
export type GoogleSdk = 'genai' | 'generative-ai';

/** How an SDK package is imported; the default is a dynamic `import()`. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** What a client is built from. */
export interface GoogleClientOptions {
  /** Named in errors. */
  provider: string;
  /** Unset: `@google/genai` if installed, else `@google/generative-ai`. */
  sdk: GoogleSdk | undefined;
  apiKey: string | undefined;
  baseURL: string | undefined;
  apiVersion: string | undefined;
  headers: Record<string, string> | undefined;
  vertexai: boolean;
  project: string | undefined;
  location: string | undefined;
  importModule: ModuleImporter;
}

const PACKAGE_OF_SDK: Readonly<Record<GoogleSdk, string>> = {
  genai: '@google/genai',
  'generative-ai': '@google/generative-ai',
};

/** The SDK a client belongs to, by its shape (the classes are not imported just to compare). */
function sdkOfClient(client: GoogleClient): GoogleSdk | undefined {
  if (typeof (client as GenAIClientLike).models?.generateContentStream === 'function') return 'genai';
  if (typeof (client as GenerativeAIClientLike).getGenerativeModel === 'function') return 'generative-ai';
  return undefined;
}

/**
 * Builds a client of the chosen SDK, importing it on first use. A missing SDK is a `configuration`
 * error that says what to install; with no SDK chosen, the legacy one is used when only it is installed.
 */
export async function buildGoogleClient(
  options: GoogleClientOptions,
): Promise<{ sdk: GoogleSdk; client: GoogleClient }> {
  const candidates: GoogleSdk[] = options.sdk === undefined ? ['genai', 'generative-ai'] : [options.sdk];
  let notFound: unknown;
  for (const sdk of candidates) {
    let module: unknown;
    try {
      module = await options.importModule(PACKAGE_OF_SDK[sdk]);
    } catch (error) {
      if (isModuleNotFound(error)) {
        notFound = error;
        continue;
      }
      throw configuration(options.provider, `Loading ${PACKAGE_OF_SDK[sdk]} failed: ${String(error)}`, error);
    }
    return {
      sdk,
      client: sdk === 'genai' ? newGenAIClient(module, options) : newGenerativeAIClient(module, options),
    };
  }
  const missing = options.sdk === undefined ? '@google/genai' : PACKAGE_OF_SDK[options.sdk];
  const install = await installCommand([missing]);
  throw configuration(
    options.provider,
    options.sdk === undefined
      ? `The Google adapter needs a Google SDK. Install one: ${install} (or the deprecated @google/generative-ai).`
      : `The Google adapter was configured with sdk: '${options.sdk}', but ${missing} is not installed. Install it: ${install}`,
    notFound,
  );
}

function newGenAIClient(module: unknown, options: GoogleClientOptions): GoogleClient {
  const { GoogleGenAI } = module as { GoogleGenAI: new (options: object) => GenAIClientLike };
  const httpOptions: Record<string, unknown> = {};
  if (options.baseURL !== undefined) httpOptions.baseUrl = options.baseURL;
  if (options.apiVersion !== undefined) httpOptions.apiVersion = options.apiVersion;
  if (options.headers !== undefined) httpOptions.headers = options.headers;
  // `retryOptions` stays unset: the SDK then makes one attempt, and tokenwire's runtime retries.
  const clientOptions: Record<string, unknown> = { httpOptions };
  if (options.apiKey !== undefined) clientOptions.apiKey = options.apiKey;
  if (options.vertexai) {
    clientOptions.vertexai = true;
    if (options.project !== undefined) clientOptions.project = options.project;
    if (options.location !== undefined) clientOptions.location = options.location;
  }
  return new GoogleGenAI(clientOptions);
}

function newGenerativeAIClient(module: unknown, options: GoogleClientOptions): GoogleClient {
  if (options.vertexai) {
    throw configuration(
      options.provider,
      "@google/generative-ai cannot call Vertex AI. Use sdk: 'genai' (install @google/genai) for Vertex.",
    );
  }
  const { GoogleGenerativeAI } = module as {
    GoogleGenerativeAI: new (apiKey: string) => GenerativeAIClientLike;
  };
  return new GoogleGenerativeAI(options.apiKey ?? '');
}

/**
 * The SDK of a client passed in. Throws a `configuration` error for an object that is a client of
 * neither SDK, or of the other SDK than `sdk` asks for.
 */
export function sdkOfPassedClient(
  client: GoogleClient,
  sdk: GoogleSdk | undefined,
  provider: string,
): GoogleSdk {
  const found = sdkOfClient(client);
  if (found === undefined) {
    throw configuration(
      provider,
      'The client is neither a GoogleGenAI (@google/genai) nor a GoogleGenerativeAI (@google/generative-ai).',
    );
  }
  if (sdk !== undefined && sdk !== found) {
    throw configuration(
      provider,
      `The client is a ${found === 'genai' ? 'GoogleGenAI' : 'GoogleGenerativeAI'}, but sdk is '${sdk}'.`,
    );
  }
  return found;
}

function configuration(provider: string, message: string, cause?: unknown): TokenwireError {
  return new TokenwireError({ code: 'configuration', provider, message, cause });
}
