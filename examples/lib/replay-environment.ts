/**
 * Points every vendor SDK at a replay server through the environment variables the SDKs and
 * adapters read themselves, as a user would point them at a proxy. Keys are placeholders.
 */
import type { WireProtocol } from '@tokenwire/testing';

/** The providers of the demo, each served by its own adapter package. */
export const PROVIDERS = ['openai', 'anthropic', 'google', 'ollama'] as const;

/** One of the demo's providers. */
export type Provider = (typeof PROVIDERS)[number];

/** The wire protocol each provider's adapter speaks by default. */
export const PROTOCOL_OF_PROVIDER: Record<Provider, WireProtocol> = {
  openai: 'openai-chat',
  anthropic: 'anthropic',
  google: 'gemini',
  ollama: 'ollama',
};

/** Environment variables that send every provider's requests to the replay server at `url`. */
export function replayEnvironment(url: string): Record<string, string> {
  return {
    OPENAI_BASE_URL: `${url}/v1`,
    OPENAI_API_KEY: 'replay-key',
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'replay-key',
    GOOGLE_GEMINI_BASE_URL: url,
    GEMINI_API_KEY: 'replay-key',
    OLLAMA_HOST: url,
  };
}
