import { geminiScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createGoogleAdapter } from './google-adapter.js';

// The shared suite, once per SDK: the real SDK is pointed at the loopback replay server.
describeAdapterConformance({
  name: 'google-genai',
  createAdapter: (baseURL) => createGoogleAdapter({ apiKey: 'test-key', baseURL, sdk: 'genai' }),
  scenarios: geminiScenarios,
});

// The same suite with the adapter reading genai's 200 body itself.
describeAdapterConformance({
  name: 'google-genai-direct',
  createAdapter: (baseURL) =>
    createGoogleAdapter({ apiKey: 'test-key', baseURL, sdk: 'genai', transport: 'direct' }),
  scenarios: geminiScenarios,
});

describeAdapterConformance({
  name: 'google-generative-ai',
  createAdapter: (baseURL) => createGoogleAdapter({ apiKey: 'test-key', baseURL, sdk: 'generative-ai' }),
  scenarios: geminiScenarios,
});

describeAdapterConformance({
  name: 'google-generative-ai-direct',
  createAdapter: (baseURL) =>
    createGoogleAdapter({ apiKey: 'test-key', baseURL, sdk: 'generative-ai', transport: 'direct' }),
  scenarios: geminiScenarios,
});
