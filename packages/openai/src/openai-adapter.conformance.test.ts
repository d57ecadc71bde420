import { openaiChatScenarios, openaiResponsesScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createOpenAIAdapter } from './openai-adapter.js';

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
