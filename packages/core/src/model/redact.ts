// Keys are redacted twice over: every key tokenwire is given (or reads from the environment) is
// registered and replaced exactly, and anything shaped like a well-known key format is masked too.
import { processEnvironment } from '../runtime/process-environment.js';

const registeredSecrets = new Set<string>();

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic (sk-ant-…), DeepSeek, OpenRouter (sk-or-…)
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
  /\bgsk_[A-Za-z0-9]{16,}/g, // Groq
  /\bxai-[A-Za-z0-9]{16,}/g, // xAI
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, // Authorization header values
  /([?&](?:key|api_key|apikey|access_token)=)[^&\s"']+/gi, // keys in query strings
  /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]*@/gi, // credentials in a URL (https://user:password@host)
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids (in a SigV4 Authorization header's Credential=)
  /\bSignature=[0-9a-f]{64}\b/gi, // a SigV4 request signature (Authorization header, X-Amz-Signature=)
];

const MASK = '[redacted]';

/**
 * Registers a secret (an API key) so that it is replaced by `[redacted]` in every error message
 * tokenwire creates. Keys passed in provider settings are registered automatically.
 */
export function registerSecret(secret: string | undefined | null): void {
  if (typeof secret === 'string' && secret.length >= 6) registeredSecrets.add(secret);
}

/** Replaces registered secrets and anything shaped like a known API key format with `[redacted]`. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const secret of registeredSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(MASK);
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (_match, prefix: unknown) => {
      if (typeof prefix !== 'string') return MASK;
      if (/[?&]/.test(prefix)) return `${prefix}${MASK}`; // keep the parameter name
      return prefix.endsWith('://') ? `${prefix}${MASK}@` : MASK; // keep the scheme
    });
  }
  return result;
}

/** Environment variables that hold API keys; their values are registered as secrets when read. */
export const API_KEY_ENVIRONMENT_VARIABLES: readonly string[] = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'OLLAMA_API_KEY',
  'DEEPSEEK_API_KEY',
  'DASHSCOPE_API_KEY',
  'ZHIPUAI_API_KEY',
  'MOONSHOT_API_KEY',
  'ARK_API_KEY',
  'SILICONFLOW_API_KEY',
  'MINIMAX_API_KEY',
  'GROQ_API_KEY',
  'XAI_API_KEY',
  'OPENROUTER_API_KEY',
  'TOGETHER_API_KEY',
  'FIREWORKS_API_KEY',
  'MISTRAL_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'VLLM_API_KEY',
  'LMSTUDIO_API_KEY',
];

/** Registers the values of the well-known API-key environment variables as secrets. */
export function registerEnvironmentSecrets(
  environment: Readonly<Record<string, unknown>> = processEnvironment(),
): void {
  for (const name of API_KEY_ENVIRONMENT_VARIABLES) {
    const value = environment[name];
    if (typeof value === 'string') registerSecret(value);
  }
}
