// The client settings every Bedrock contender shares.
export const MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

export const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'bench-secret-access-key',
};

/** The SDK client options: the replay server as endpoint, HTTP/1.1 (what tokenwire's client uses), one attempt. */
export async function benchClientOptions(url) {
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  return {
    endpoint: url,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  };
}
