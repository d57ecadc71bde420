// The floor on Bedrock: @aws-sdk/client-bedrock-runtime's ConverseStream, consumed with `for await`,
// counting the text and tool-input pieces. The same client setup as tokenwire's (HTTP/1.1 handler,
// one attempt, static credentials), so both pay the same signing and transport.
import { newCounts, PROMPT, TOOL } from '../common.mjs';
import { benchClientOptions, MODEL } from './setup.mjs';

async function bedrock(workload, url) {
  const { BedrockRuntimeClient, ConverseStreamCommand } = await import('@aws-sdk/client-bedrock-runtime');
  const client = new BedrockRuntimeClient(await benchClientOptions(url));
  const toolConfig = workload.tool
    ? {
        tools: [
          {
            toolSpec: {
              name: TOOL.name,
              description: TOOL.description,
              inputSchema: { json: TOOL.parameters },
            },
          },
        ],
      }
    : undefined;
  return async () => {
    const counts = newCounts();
    const { stream } = await client.send(
      new ConverseStreamCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: PROMPT }] }],
        toolConfig,
      }),
    );
    for await (const event of stream) {
      const delta = event.contentBlockDelta?.delta;
      if (delta === undefined) continue;
      if (delta.text) counts.text++;
      else if (delta.toolUse?.input) counts.tool++;
      else if (delta.reasoningContent?.text) counts.reasoning++;
    }
    return counts;
  };
}

export const setups = { bedrock };
