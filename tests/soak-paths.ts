import { createAnthropicAdapter } from '@tokenwire/anthropic';
import type { Adapter } from '@tokenwire/core';
import { createGoogleAdapter } from '@tokenwire/google';
import { createOllamaAdapter } from '@tokenwire/ollama';
import { createOpenAIAdapter } from '@tokenwire/openai';
import {
  anthropicScenarios,
  type ConformanceScenarios,
  geminiScenarios,
  ollamaScenarios,
  openaiChatScenarios,
  openaiResponsesScenarios,
} from '@tokenwire/testing';

/** The key every path sends: long enough to be registered, so a leak of it would be caught. */
export const SOAK_KEY = 'soak-secret-key-4d3c2b1a';

/** One wire path: an adapter over its real vendor SDK, pointed at a replay server. */
export interface SoakPath {
  name: string;
  scenarios: ConformanceScenarios;
  adapter(url: string): Adapter;
}

/** The seven wire paths of DESIGN.md's fault matrix. */
export const SOAK_PATHS: readonly SoakPath[] = [
  {
    name: 'openai chat',
    scenarios: openaiChatScenarios,
    adapter: (url) => createOpenAIAdapter({ apiKey: SOAK_KEY, baseURL: `${url}/v1` }),
  },
  {
    name: 'openai responses',
    scenarios: openaiResponsesScenarios,
    adapter: (url) => createOpenAIAdapter({ apiKey: SOAK_KEY, baseURL: `${url}/v1`, api: 'responses' }),
  },
  {
    name: 'compatible service',
    scenarios: openaiChatScenarios,
    adapter: (url) => createOpenAIAdapter({ provider: 'deepseek', apiKey: SOAK_KEY, baseURL: `${url}/v1` }),
  },
  {
    name: 'anthropic',
    scenarios: anthropicScenarios,
    adapter: (url) => createAnthropicAdapter({ apiKey: SOAK_KEY, baseURL: url }),
  },
  {
    name: '@google/genai',
    scenarios: geminiScenarios,
    adapter: (url) => createGoogleAdapter({ apiKey: SOAK_KEY, baseURL: url, sdk: 'genai' }),
  },
  {
    name: '@google/generative-ai',
    scenarios: geminiScenarios,
    adapter: (url) => createGoogleAdapter({ apiKey: SOAK_KEY, baseURL: url, sdk: 'generative-ai' }),
  },
  {
    name: 'ollama',
    scenarios: ollamaScenarios,
    adapter: (url) => createOllamaAdapter({ host: url, headers: { Authorization: `Bearer ${SOAK_KEY}` } }),
  },
];
