import { anthropicScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createAnthropicAdapter } from './anthropic-adapter.js';

// The shared suite: DESIGN.md's invariants over the real @anthropic-ai/sdk and the replay server.
describeAdapterConformance({
  name: 'anthropic',
  createAdapter: (baseURL) => createAnthropicAdapter({ baseURL, apiKey: 'test-key' }),
  scenarios: anthropicScenarios,
});
