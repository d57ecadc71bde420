import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAbortError, TokenwireError, toTokenwireError } from '../model/errors.js';
import { redactSecrets, registerSecret } from '../model/redact.js';
import type { Adapter, ErrorEvent, StreamEvent } from '../model/types.js';
import { createTokenwire, parseModelString } from './create-tokenwire.js';
import { type AdapterModule, importAdapterModule } from './providers.js';
import { collectEvents, scriptedAdapter } from './scripted-adapter.test-helpers.js';

const messages = [{ role: 'user' as const, content: 'Hi' }];

async function errorOf(events: Promise<StreamEvent[]>): Promise<TokenwireError> {
  const all = await events;
  expect(all.map((event) => event.type)).toEqual(['error']);
  return (all[0] as ErrorEvent).error;
}

describe('model strings', () => {
  it('splits at the first slash so model ids may contain slashes', () => {
    expect(parseModelString('openrouter/meta-llama/llama-3.3-70b')).toEqual({
      provider: 'openrouter',
      modelId: 'meta-llama/llama-3.3-70b',
    });
  });

  it.each(['gpt-4.1', '/gpt-4.1', 'openai/', '', 42])(
    'rejects the malformed model %j with the fix in the message',
    (model) => {
      expect(() => parseModelString(model)).toThrow(/not a 'provider\/model' string.*'openai\/gpt-4.1'/);
    },
  );

  it('reports a malformed model as the stream error, not a crash', async () => {
    const error = await errorOf(collectEvents(createTokenwire().stream({ model: 'gpt-4.1', messages })));
    expect(error.code).toBe('configuration');
  });
});

describe('providers', () => {
  it.each([
    ['gemini/gemini-2.5-flash', 'google'],
    ['google/gemini-2.5-flash', 'gemini'],
  ])('serves %s with the settings configured under %s, its other name', async (model, configuredAs) => {
    const created: unknown[] = [];
    const tokenwire = createTokenwire({
      providers: { [configuredAs]: { apiKey: 'gm-key-1', baseURL: 'http://127.0.0.1:1' } },
      loadModule: async () => ({
        createAdapter(given: unknown): Adapter {
          created.push(given);
          return scriptedAdapter([{ type: 'finish', reason: 'stop' }]);
        },
      }),
    });
    await tokenwire.stream({ model, messages }).result();
    await tokenwire.stream({ model: `${configuredAs}/gemini-2.5-flash`, messages }).result();
    // One adapter, made once from the configured settings, whichever name the model string used.
    expect(created).toEqual([{ apiKey: 'gm-key-1', baseURL: 'http://127.0.0.1:1', provider: configuredAs }]);
  });

  it('loads an unconfigured provider from @tokenwire/<name> and passes its settings', async () => {
    const requested: string[] = [];
    let settings: unknown;
    const tokenwire = createTokenwire({
      providers: { deepseek: { baseURL: 'http://127.0.0.1:1/v1' } },
      loadModule: async (name) => {
        requested.push(name);
        return {
          createAdapter(given: unknown): Adapter {
            settings = given;
            return scriptedAdapter([
              { type: 'text', delta: 'hi' },
              { type: 'finish', reason: 'stop' },
            ]);
          },
        };
      },
    });
    const finish = await tokenwire.stream({ model: 'deepseek/deepseek-chat', messages }).result();
    expect(finish).toMatchObject({ provider: 'deepseek', model: 'deepseek-chat', content: 'hi' });
    expect(requested).toEqual(['@tokenwire/openai']);
    expect(settings).toEqual({ baseURL: 'http://127.0.0.1:1/v1', provider: 'deepseek' });
  });

  it('names the package to install when an adapter package is missing', async () => {
    // as in an app that installed @tokenwire/core alone
    const notInstalled = async (name: string) => {
      throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/index.js`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    };
    vi.stubEnv('npm_config_user_agent', 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64');
    const tokenwire = createTokenwire({ retries: 0, loadModule: notInstalled });
    const error = await errorOf(
      collectEvents(tokenwire.stream({ model: 'anthropic/claude-sonnet-4-5', messages })),
    );
    vi.unstubAllEnvs();
    expect(error.code).toBe('configuration');
    expect(error.message).toContain('pnpm add @tokenwire/anthropic @anthropic-ai/sdk');
  });

  it('finds an adapter package installed in the application folder when core cannot see it', async () => {
    const application = await mkdtemp(join(tmpdir(), 'tokenwire-app-'));
    const packageFolder = join(application, 'node_modules', '@tokenwire', 'acme');
    await mkdir(packageFolder, { recursive: true });
    await writeFile(
      join(packageFolder, 'package.json'),
      JSON.stringify({
        name: '@tokenwire/acme',
        type: 'module',
        exports: { '.': { default: './index.js' } },
      }),
    );
    await writeFile(
      join(packageFolder, 'index.js'),
      'export const createAdapter = (settings) => settings.provider;',
    );
    const previous = process.cwd();
    process.chdir(application);
    try {
      const module = (await importAdapterModule('@tokenwire/acme')) as AdapterModule;
      expect(module.createAdapter({ provider: 'acme' })).toBe('acme');
    } finally {
      process.chdir(previous);
      await rm(application, { recursive: true, force: true });
    }
  });

  it('explains an unknown provider name', async () => {
    const error = await errorOf(
      collectEvents(createTokenwire().stream({ model: 'nosuchvendor/x', messages })),
    );
    expect(error.code).toBe('configuration');
    expect(error.message).toContain("Unknown provider 'nosuchvendor'");
  });

  it('names the packages to install for a first-party provider that is missing (bedrock)', async () => {
    const missing = Object.assign(new Error("Cannot find package '@tokenwire/bedrock'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const tokenwire = createTokenwire({
      loadModule: async () => {
        throw missing;
      },
    });
    const error = await errorOf(
      collectEvents(tokenwire.stream({ model: 'bedrock/amazon.nova-lite-v1:0', messages })),
    );
    expect(error.code).toBe('configuration');
    expect(error.message).toContain("Provider 'bedrock' needs the package @tokenwire/bedrock");
    expect(error.message).toContain('@tokenwire/bedrock @aws-sdk/client-bedrock-runtime');
  });

  it('keeps a Bedrock inference profile ARN whole as the model id', () => {
    const arn =
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-v1:0';
    expect(parseModelString(`bedrock/${arn}`)).toEqual({ provider: 'bedrock', modelId: arn });
  });

  it.each(['gpt-4.1', 'nosuchvendor/x', '../../etc/x'])(
    'ends the refusal of the model string %j with "Nothing was sent."',
    async (model) => {
      const error = await errorOf(collectEvents(createTokenwire().stream({ model, messages })));
      expect(error.message).toMatch(/\. Nothing was sent\.$/);
    },
  );

  it('rejects a provider name that is not a package name', async () => {
    const error = await errorOf(collectEvents(createTokenwire().stream({ model: '../../etc/x', messages })));
    expect(error.message).toContain('not a valid provider name');
  });

  it('rejects a package that is not an adapter package', async () => {
    const tokenwire = createTokenwire({ loadModule: async () => ({ somethingElse: true }) });
    const error = await errorOf(collectEvents(tokenwire.stream({ model: 'custom/x', messages })));
    expect(error.message).toContain('does not export createAdapter');
  });
});

describe('errors', () => {
  it('recognises TokenwireError across copies through its Symbol.for marker', () => {
    const error = new TokenwireError({ code: 'rate_limit', message: 'slow down' });
    const lookalike = Object.assign(new Error('x'), { [Symbol.for('tokenwire.error')]: true });
    expect(TokenwireError.isInstance(error)).toBe(true);
    expect(TokenwireError.isInstance(lookalike)).toBe(true);
    expect(TokenwireError.isInstance(new Error('plain'))).toBe(false);
    expect(error.retryable).toBe(true);
    expect(new TokenwireError({ code: 'authentication', message: 'no' }).retryable).toBe(false);
  });

  it("recognises abort errors by name or by the vendor SDKs' APIUserAbortError class", () => {
    class APIUserAbortError extends Error {}
    class GoogleGenerativeAIAbortError extends Error {}
    expect(isAbortError(new APIUserAbortError('Request was aborted.'))).toBe(true);
    expect(isAbortError(new GoogleGenerativeAIAbortError('aborted'))).toBe(true);
    expect(isAbortError(new DOMException('aborted', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('Request was aborted.'))).toBe(false);
  });

  it('maps raw undici failures to connection errors', () => {
    const terminated = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(toTokenwireError(terminated, 'openai')).toMatchObject({ code: 'connection', retryable: true });
  });
});

describe('API keys never leak', () => {
  afterEach(() => {
    delete process.env.DEEPSEEK_API_KEY;
  });

  it('redacts well-known key shapes and registered keys', () => {
    registerSecret('my-very-private-key-123');
    expect(
      redactSecrets('key sk-proj-abcdefghijklmnop and my-very-private-key-123 and Bearer abc.def.ghi123'),
    ).toBe('key [redacted] and [redacted] and [redacted]');
    expect(redactSecrets('GET /v1beta/models?key=AIzaSyA1234567890abcdefghijk&alt=sse')).toBe(
      'GET /v1beta/models?key=[redacted]&alt=sse',
    );
  });

  it('keeps a configured key out of the error message, its cause chain and the JSON', async () => {
    const apiKey = 'tw-test-secret-value-42';
    const adapter = scriptedAdapter([
      { throw: new Error(`401: invalid key ${apiKey}`, { cause: new Error(`header was ${apiKey}`) }) },
    ]);
    const tokenwire = createTokenwire({
      providers: { mock: adapter, other: { apiKey, adapter: 'openai' } },
      retries: 0,
    });
    const error = await errorOf(collectEvents(tokenwire.stream({ model: 'mock/m', messages })));
    expect(error.message).not.toContain(apiKey);
    expect((error.cause as Error).message).not.toContain(apiKey);
    expect(((error.cause as Error).cause as Error).message).not.toContain(apiKey);
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  it('keeps a key from the environment out of error messages', async () => {
    const apiKey = 'env-secret-deepseek-9999';
    process.env.DEEPSEEK_API_KEY = apiKey;
    const adapter = scriptedAdapter([{ throw: new Error(`rejected ${apiKey}`) }]);
    const error = await errorOf(
      collectEvents(
        createTokenwire({ providers: { mock: adapter }, retries: 0 }).stream({ model: 'mock/m', messages }),
      ),
    );
    expect(error.message).toBe('rejected [redacted]');
  });
});
