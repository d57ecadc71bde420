import { describeAdapterConformance } from './conformance.js';
import { createReferenceAdapter } from './reference-adapter.js';
import { openaiChatScenarios } from './scenarios/openai-chat.js';

// The suite passes for the reference adapter (fetch + a tiny SSE reader, no SDK). The other half
// of its self-test, that it fails for broken adapters, is conformance-self-test.test.ts.
describeAdapterConformance({
  name: 'reference',
  createAdapter: (baseURL) => createReferenceAdapter({ baseURL, apiKey: 'test-key' }),
  // The reference adapter sends text and images only: it declares no file support.
  scenarios: { ...openaiChatScenarios, files: undefined },
});
