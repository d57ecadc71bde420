// The Vercel AI SDK: streamText({ model }) from `ai` with its provider packages, consuming
// `fullStream` with `for await`. The providers talk HTTP themselves (no vendor SDK underneath).
import { newCounts, PROMPT, STRUCTURED_SCHEMA, TOOL } from './common.mjs';

globalThis.AI_SDK_LOG_WARNINGS = false;

/** streamObject, consuming `fullStream`: its text deltas, and the partial object after each one that changed it. */
async function objectConsumer(model) {
  const { jsonSchema, streamObject } = await import('ai');
  const schema = jsonSchema(STRUCTURED_SCHEMA);
  return async () => {
    const counts = newCounts();
    const result = streamObject({ model, schema, prompt: PROMPT, maxRetries: 0 });
    let seen = 0;
    let characters = 0;
    for await (const part of result.fullStream) {
      // Its text deltas come only when the partial object changed (several fragments at once), so
      // the fragments are counted by characters: every fragment of the workload has 8.
      if (part.type === 'text-delta') characters += part.textDelta.length;
      else if (part.type === 'object') seen += part.object.notes?.length ?? 0;
      else if (part.type === 'error') throw part.error;
    }
    if (seen < 0) throw new Error('unreachable: keeps the reads');
    counts.text = characters / 8;
    return counts;
  };
}

async function consumer(model, workload) {
  if (workload.structured) return objectConsumer(model);
  const { jsonSchema, streamText, tool } = await import('ai');
  const tools = workload.tool
    ? { [TOOL.name]: tool({ description: TOOL.description, inputSchema: jsonSchema(TOOL.parameters) }) }
    : undefined;
  return async () => {
    const counts = newCounts();
    const result = streamText({ model, prompt: PROMPT, tools, maxRetries: 0 });
    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'text-delta':
          counts.text++;
          break;
        case 'reasoning-delta':
          if (part.text !== '') counts.reasoning++;
          break;
        case 'tool-input-delta':
          counts.tool++;
          break;
        case 'error':
          throw part.error;
      }
    }
    return counts;
  };
}

async function openai(workload, url) {
  const { createOpenAI } = await import('@ai-sdk/openai');
  const provider = createOpenAI({ apiKey: 'bench', baseURL: `${url}/v1` });
  return consumer(provider.chat('gpt-4.1-nano'), workload);
}

async function anthropic(workload, url) {
  const { createAnthropic } = await import('@ai-sdk/anthropic');
  const provider = createAnthropic({ apiKey: 'bench', baseURL: `${url}/v1` });
  return consumer(provider('claude-sonnet-4-6'), workload);
}

async function google(workload, url) {
  const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
  const provider = createGoogleGenerativeAI({ apiKey: 'bench', baseURL: `${url}/v1beta` });
  return consumer(provider('gemini-2.5-flash'), workload);
}

async function ollama(workload, url) {
  const { createOllama } = await import('ollama-ai-provider-v2');
  const provider = createOllama({ baseURL: `${url}/api` });
  return consumer(provider('qwen3:8b'), workload);
}

export const setups = { openai, anthropic, google, ollama };
