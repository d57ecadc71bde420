import {
  openaiChatJsonModeScenarios,
  openaiChatScenarios,
  openaiResponsesScenarios,
} from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createOpenAIAdapter } from './openai-adapter.js';

// Each run sends a key of more than 6 characters, so the suite's leak tests have something to find.
describeAdapterConformance({
  name: 'openai',
  createAdapter: (baseURL) =>
    createOpenAIAdapter({ apiKey: 'sk-conformance-test-key', baseURL: `${baseURL}/v1` }),
  scenarios: openaiChatScenarios,
});

describeAdapterConformance({
  name: 'openai',
  createAdapter: (baseURL) =>
    createOpenAIAdapter({ apiKey: 'sk-conformance-test-key', baseURL: `${baseURL}/v1`, api: 'responses' }),
  scenarios: openaiResponsesScenarios,
});

// An OpenAI-compatible service: its own table entry (key variable, `max_tokens`, JSON mode only, so
// a schema goes in an instruction), a key in no well-known format (only its registration redacts
// it), the Chat Completions wire.
describeAdapterConformance({
  name: 'deepseek',
  createAdapter: (baseURL) =>
    createOpenAIAdapter({
      provider: 'deepseek',
      apiKey: 'compatible-service-key-42',
      baseURL: `${baseURL}/v1`,
    }),
  scenarios: openaiChatJsonModeScenarios,
});
