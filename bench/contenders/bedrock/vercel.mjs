// The Vercel AI SDK on Bedrock: streamText over @ai-sdk/amazon-bedrock, counting its fullStream parts.
import { newCounts, PROMPT, TOOL } from '../common.mjs';
import { CREDENTIALS, MODEL } from './setup.mjs';

globalThis.AI_SDK_LOG_WARNINGS = false;

async function bedrock(workload, url) {
  const { streamText, jsonSchema, tool } = await import('ai');
  const { createAmazonBedrock } = await import('@ai-sdk/amazon-bedrock');
  const provider = createAmazonBedrock({
    baseURL: url,
    region: 'us-east-1',
    accessKeyId: CREDENTIALS.accessKeyId,
    secretAccessKey: CREDENTIALS.secretAccessKey,
  });
  const tools = workload.tool
    ? { [TOOL.name]: tool({ description: TOOL.description, inputSchema: jsonSchema(TOOL.parameters) }) }
    : undefined;
  return async () => {
    const counts = newCounts();
    const result = streamText({ model: provider(MODEL), prompt: PROMPT, tools, maxRetries: 0 });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') counts.text++;
      else if (part.type === 'tool-input-delta') counts.tool++;
      else if (part.type === 'reasoning-delta') counts.reasoning++;
      else if (part.type === 'error') throw part.error;
    }
    return counts;
  };
}

export const setups = { bedrock };
