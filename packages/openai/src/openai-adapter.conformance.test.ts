import {
  openaiChatJsonModeScenarios,
  openaiChatScenarios,
  openaiResponsesScenarios,
} from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createOpenAIAdapter } from './openai-adapter.js';

// Every run twice: the SDK reading the body (`transport: 'sdk'`) and tokenwire reading it
// (`'direct'`), registered under a name of their own (the replay server records the wire, not the name).
for (const transport of ['sdk', 'direct'] as const) {
  const suffix = transport === 'sdk' ? '' : '-direct';

  // Each run sends a key of more than 6 characters, so the suite's leak tests have something to find.
  describeAdapterConformance({
    name: `openai${suffix}`,
    createAdapter: (baseURL) =>
      createOpenAIAdapter({ apiKey: 'sk-conformance-test-key', baseURL: `${baseURL}/v1`, transport }),
    scenarios: openaiChatScenarios,
  });

  describeAdapterConformance({
    name: `openai${suffix}`,
    createAdapter: (baseURL) =>
      createOpenAIAdapter({
        apiKey: 'sk-conformance-test-key',
        baseURL: `${baseURL}/v1`,
        api: 'responses',
        transport,
      }),
    scenarios: openaiResponsesScenarios,
  });

  // An OpenAI-compatible service: its own table entry (key variable, `max_tokens`, JSON mode only, so
  // a schema goes in an instruction), a key in no well-known format (only its registration redacts
  // it), the Chat Completions wire.
  describeAdapterConformance({
    name: `deepseek${suffix}`,
    createAdapter: (baseURL) =>
      createOpenAIAdapter({
        provider: 'deepseek',
        apiKey: 'compatible-service-key-42',
        baseURL: `${baseURL}/v1`,
        transport,
      }),
    scenarios: openaiChatJsonModeScenarios,
  });
}
