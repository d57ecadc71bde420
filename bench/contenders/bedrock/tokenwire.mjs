// tokenwire on Bedrock as a user writes it: createBedrockAdapter and createTokenwire().stream(...),
// counting the normalized events. Built packages (dist) are used.
import { newCounts, PROMPT, TOOL } from '../common.mjs';
import { CREDENTIALS, MODEL } from './setup.mjs';

/** The setup of a Bedrock workload with these adapter settings. */
export const bedrockSetup =
  (settings = {}) =>
  async (workload, url) => {
    const { createTokenwire } = await import('@tokenwire/core');
    const { createBedrockAdapter } = await import('@tokenwire/bedrock');
    const adapter = createBedrockAdapter({
      endpoint: url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      ...settings,
    });
    const tokenwire = createTokenwire({ providers: { bench: adapter } });
    const tools = workload.tool ? [TOOL] : undefined;
    return async () => {
      const counts = newCounts();
      const stream = tokenwire.stream({
        model: `bench/${MODEL}`,
        messages: [{ role: 'user', content: PROMPT }],
        tools,
      });
      for await (const event of stream) {
        if (event.type === 'token') counts.text++;
        else if (event.type === 'tool_call_chunk' && event.argumentsDelta !== '') counts.tool++;
        else if (event.type === 'reasoning' && event.content !== '') counts.reasoning++;
        else if (event.type === 'error') throw event.error;
      }
      return counts;
    };
  };

export const setups = { bedrock: bedrockSetup() };
