import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { bedrockScenarios, bedrockToolModeScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createBedrockAdapter } from './bedrock-adapter.js';

// The shared suite: DESIGN.md's invariants over the real @aws-sdk/client-bedrock-runtime, which
// signs each request with these static fake credentials and decodes the replay server's AWS
// event-stream frames itself. The session token is sent as x-amz-security-token, so the leak
// tests have the access key id (in the SigV4 Authorization header) and the token to look for.
// A client created by the adapter sends over HTTP/1.1; one passed in chooses its own handler (the
// SDK's default is HTTP/2, which the loopback replay server does not speak).
const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'conformance-session-token-5f4e3d2c1b',
};

describeAdapterConformance({
  name: 'bedrock',
  createAdapter: (baseURL) =>
    createBedrockAdapter({
      endpoint: baseURL,
      region: 'us-east-1',
      credentials,
      transport: 'sdk',
    }),
  scenarios: bedrockScenarios,
});

// The structured-output fallback for models without outputConfig: every JSON answer is the input
// of a forced `json` tool, streamed back as text.
describeAdapterConformance({
  name: 'bedrock-tool-mode',
  createAdapter: (baseURL) =>
    createBedrockAdapter({
      baseURL,
      region: 'us-east-1',
      credentials,
      structuredOutput: 'tool',
      transport: 'sdk',
      provider: 'bedrock-tool-mode',
    }),
  scenarios: bedrockToolModeScenarios,
});

// A client the application configured itself, with the SDK's default retries (turned off per request).
describeAdapterConformance({
  name: 'bedrock-client',
  createAdapter: (baseURL) =>
    createBedrockAdapter({
      client: new BedrockRuntimeClient({
        endpoint: baseURL,
        region: 'eu-west-1',
        credentials,
        requestHandler: new NodeHttpHandler(),
      }),
      provider: 'bedrock-client',
    }),
  scenarios: bedrockScenarios,
});

// The same suites with `transport: 'direct'` (the default, spelled out): the SDK sends the request, tokenwire reads the
// event-stream body itself with the SDK's EventStreamCodec.
describeAdapterConformance({
  name: 'bedrock-direct',
  createAdapter: (baseURL) =>
    createBedrockAdapter({
      endpoint: baseURL,
      region: 'us-east-1',
      credentials,
      transport: 'direct',
      provider: 'bedrock-direct',
    }),
  scenarios: bedrockScenarios,
});

describeAdapterConformance({
  name: 'bedrock-tool-mode-direct',
  createAdapter: (baseURL) =>
    createBedrockAdapter({
      endpoint: baseURL,
      region: 'us-east-1',
      credentials,
      structuredOutput: 'tool',
      transport: 'direct',
      provider: 'bedrock-tool-mode-direct',
    }),
  scenarios: bedrockToolModeScenarios,
});
