import { geminiScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createGoogleAdapter } from './google-adapter.js';

// The shared suite, once per SDK: the real SDK is pointed at the loopback replay server.
describeAdapterConformance({
  name: 'google-genai',
  createAdapter: (baseURL) => createGoogleAdapter({ apiKey: 'test-key', baseURL, sdk: 'genai' }),
  scenarios: geminiScenarios,
});

describeAdapterConformance({
  name: 'google-generative-ai',
  createAdapter: (baseURL) => createGoogleAdapter({ apiKey: 'test-key', baseURL, sdk: 'generative-ai' }),
  scenarios: geminiScenarios,
});
