// tokenwire as a user writes it: createTokenwire({ providers: { x: adapter } }).stream(...),
// consumed with `for await`, counting the normalized events. Built packages (dist) are used.
import { newCounts, PROMPT, STRUCTURED_SCHEMA, TOOL } from './common.mjs';

async function plainClient(adapter) {
  const { createTokenwire } = await import('@tokenwire/core');
  return createTokenwire({ providers: { bench: adapter } });
}

function consumer(tokenwire, model, workload) {
  const tools = workload.tool ? [TOOL] : undefined;
  const responseFormat = workload.structured
    ? { type: 'json_schema', name: 'notes', schema: STRUCTURED_SCHEMA }
    : undefined;
  return async () => {
    const counts = newCounts();
    const stream = tokenwire.stream({
      model: `bench/${model}`,
      messages: [{ role: 'user', content: PROMPT }],
      tools,
      responseFormat,
    });
    // What a UI reads of the partial values: the number of notes so far.
    let seen = 0;
    for await (const event of stream) {
      switch (event.type) {
        case 'token':
          counts.text++;
          break;
        case 'partial_object':
          seen += event.object.notes?.length ?? 0;
          break;
        case 'reasoning':
          if (event.content !== '') counts.reasoning++;
          break;
        case 'tool_call_chunk':
          if (event.argumentsDelta !== '') counts.tool++;
          if (workload.readPartial) seen += event.partialInput?.text?.length ?? 0; // undefined until a value has begun
          break;
        case 'finish':
          if (workload.structured && event.object === undefined) throw event.objectError;
          break;
        case 'error':
          throw event.error;
      }
    }
    if (seen < 0) throw new Error('unreachable: keeps the reads');
    return counts;
  };
}

/** The setups of every provider, each making its client with `client(adapter)`; `settings` go to every adapter. */
export function setupsWith(client, settings = {}) {
  async function openai(workload, url) {
    const { createOpenAIAdapter } = await import('@tokenwire/openai');
    const adapter = createOpenAIAdapter({ apiKey: 'bench', baseURL: `${url}/v1`, ...settings });
    return consumer(await client(adapter), 'gpt-4.1-nano', workload);
  }

  async function anthropic(workload, url) {
    const { createAnthropicAdapter } = await import('@tokenwire/anthropic');
    const adapter = createAnthropicAdapter({ apiKey: 'bench', baseURL: url, ...settings });
    return consumer(await client(adapter), 'claude-sonnet-4-6', workload);
  }

  async function googleWith(sdk, workload, url) {
    const { createGoogleAdapter } = await import('@tokenwire/google');
    const adapter = createGoogleAdapter({ apiKey: 'bench', baseURL: url, sdk, ...settings });
    return consumer(await client(adapter), 'gemini-2.5-flash', workload);
  }

  async function ollama(workload, url) {
    const { createOllamaAdapter } = await import('@tokenwire/ollama');
    const adapter = createOllamaAdapter({ host: url, ...settings });
    return consumer(await client(adapter), 'qwen3:8b', workload);
  }

  return {
    openai,
    anthropic,
    google: (workload, url) => googleWith('genai', workload, url),
    'google-legacy': (workload, url) => googleWith('generative-ai', workload, url),
    ollama,
  };
}

export const setups = setupsWith(plainClient);

/** The client every tokenwire contender uses. */
export { plainClient };
