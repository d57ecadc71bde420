import { anthropicScenarios, anthropicToolModeScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createAnthropicAdapter } from './anthropic-adapter.js';

// The shared suite: DESIGN.md's invariants over the real @anthropic-ai/sdk and the replay server,
// first with the SDK reading the body (`transport: 'sdk'`), then below with core reading it.
describeAdapterConformance({
  name: 'anthropic',
  createAdapter: (baseURL) => createAnthropicAdapter({ baseURL, apiKey: 'test-key', transport: 'sdk' }),
  scenarios: anthropicScenarios,
});

// The structured-output fallback for models without output_config: every JSON answer is the input
// of a forced `json` tool, streamed back as text.
describeAdapterConformance({
  name: 'anthropic-tool-mode',
  createAdapter: (baseURL) =>
    createAnthropicAdapter({
      baseURL,
      apiKey: 'test-key',
      structuredOutput: 'tool',
      provider: 'anthropic-tool-mode',
      transport: 'sdk',
    }),
  scenarios: anthropicToolModeScenarios,
});

// The same suites with `transport: 'direct'` (the default): the SDK sends the request, core reads the body.
describeAdapterConformance({
  name: 'anthropic-direct',
  createAdapter: (baseURL) =>
    createAnthropicAdapter({
      baseURL,
      apiKey: 'test-key',
      transport: 'direct',
      provider: 'anthropic-direct',
    }),
  scenarios: anthropicScenarios,
});

describeAdapterConformance({
  name: 'anthropic-tool-mode-direct',
  createAdapter: (baseURL) =>
    createAnthropicAdapter({
      baseURL,
      apiKey: 'test-key',
      structuredOutput: 'tool',
      provider: 'anthropic-tool-mode-direct',
      transport: 'direct',
    }),
  scenarios: anthropicToolModeScenarios,
});
