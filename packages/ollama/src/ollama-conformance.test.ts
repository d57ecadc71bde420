import { ollamaScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { Ollama } from 'ollama';
import { createOllamaAdapter } from './ollama-adapter.js';

// The shared adapter suite (DESIGN.md invariants 1–8), through the real `ollama` client against
// the replay server: once with the client the adapter builds, once with a client passed in. Both
// send a credential (Ollama behind a proxy that wants a token), so the leak tests have one to find.
// Every run twice: ollama-js reading core's guarded body (`transport: 'sdk'`) and core reading it
// (`'direct'`, the default).

const CREDENTIALS = { Authorization: 'Bearer ollama-conformance-key' };

for (const transport of ['sdk', 'direct'] as const) {
  const suffix = transport === 'sdk' ? '' : '-direct';

  describeAdapterConformance({
    name: `ollama${suffix}`,
    createAdapter: (baseURL) =>
      createOllamaAdapter({ host: baseURL, headers: CREDENTIALS, transport, provider: `ollama${suffix}` }),
    scenarios: ollamaScenarios,
  });

  describeAdapterConformance({
    name: `ollama-client${suffix}`,
    createAdapter: (baseURL) =>
      createOllamaAdapter({
        client: new Ollama({ host: baseURL, headers: CREDENTIALS }),
        provider: `ollama-client${suffix}`,
        transport,
      }),
    scenarios: ollamaScenarios,
  });
}
