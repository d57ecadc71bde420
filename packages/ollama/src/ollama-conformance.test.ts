import { ollamaScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { Ollama } from 'ollama';
import { createOllamaAdapter } from './ollama-adapter.js';

// The shared adapter suite (DESIGN.md invariants 1–8), through the real `ollama` client against
// the replay server: once with the client the adapter builds, once with a client passed in.

describeAdapterConformance({
  name: 'ollama',
  createAdapter: (baseURL) => createOllamaAdapter({ host: baseURL }),
  scenarios: ollamaScenarios,
});

describeAdapterConformance({
  name: 'ollama-client',
  createAdapter: (baseURL) =>
    createOllamaAdapter({ client: new Ollama({ host: baseURL }), provider: 'ollama-client' }),
  scenarios: ollamaScenarios,
});
