import { ollamaScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { Ollama } from 'ollama';
import { createOllamaAdapter } from './ollama-adapter.js';

// The shared adapter suite (DESIGN.md invariants 1–8), through the real `ollama` client against
// the replay server: once with the client the adapter builds, once with a client passed in. Both
// send a credential (Ollama behind a proxy that wants a token), so the leak tests have one to find.

const CREDENTIALS = { Authorization: 'Bearer ollama-conformance-key' };

describeAdapterConformance({
  name: 'ollama',
  createAdapter: (baseURL) => createOllamaAdapter({ host: baseURL, headers: CREDENTIALS }),
  scenarios: ollamaScenarios,
});

describeAdapterConformance({
  name: 'ollama-client',
  createAdapter: (baseURL) =>
    createOllamaAdapter({
      client: new Ollama({ host: baseURL, headers: CREDENTIALS }),
      provider: 'ollama-client',
    }),
  scenarios: ollamaScenarios,
});

// The same suites on the direct transport: tokenwire reads the 200 body itself.
describeAdapterConformance({
  name: 'ollama-direct',
  createAdapter: (baseURL) =>
    createOllamaAdapter({
      host: baseURL,
      headers: CREDENTIALS,
      transport: 'direct',
      provider: 'ollama-direct',
    }),
  scenarios: ollamaScenarios,
});

describeAdapterConformance({
  name: 'ollama-client-direct',
  createAdapter: (baseURL) =>
    createOllamaAdapter({
      client: new Ollama({ host: baseURL, headers: CREDENTIALS }),
      provider: 'ollama-client-direct',
      transport: 'direct',
    }),
  scenarios: ollamaScenarios,
});
