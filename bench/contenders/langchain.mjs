// LangChain chat models: `await model.stream(prompt)` consumed with `for await`. ChatOpenAI runs on
// the `openai` SDK; ChatAnthropic on its own copy of `@anthropic-ai/sdk` (0.x);
// ChatGoogleGenerativeAI on `@google/generative-ai`; ChatOllama on `ollama`.
import { newCounts, PROMPT, TOOL } from './common.mjs';

function countContent(content, counts) {
  if (typeof content === 'string') {
    if (content !== '') counts.text++;
    return;
  }
  for (const part of content) {
    if (part.type === 'text' && part.text) counts.text++;
    else if (part.type === 'thinking' && part.thinking) counts.reasoning++;
  }
}

function consumer(model) {
  return async () => {
    const counts = newCounts();
    for await (const chunk of await model.stream(PROMPT)) {
      countContent(chunk.content, counts);
      const call = chunk.tool_call_chunks?.[0];
      if (call?.args) counts.tool++;
    }
    return counts;
  };
}

const openaiTool = {
  type: 'function',
  function: { name: TOOL.name, description: TOOL.description, parameters: TOOL.parameters },
};

async function openai(workload, url) {
  const { ChatOpenAI } = await import('@langchain/openai');
  const model = new ChatOpenAI({
    model: 'gpt-4.1-nano',
    apiKey: 'bench',
    configuration: { baseURL: `${url}/v1` },
    maxRetries: 0,
    streamUsage: true,
  });
  return consumer(workload.tool ? model.bindTools([openaiTool]) : model);
}

async function anthropic(workload, url) {
  const { ChatAnthropic } = await import('@langchain/anthropic');
  const model = new ChatAnthropic({
    model: 'claude-sonnet-4-6',
    apiKey: 'bench',
    anthropicApiUrl: url,
    maxRetries: 0,
    maxTokens: 64_000,
  });
  return consumer(workload.tool ? model.bindTools([openaiTool]) : model);
}

async function google(_workload, url) {
  const { ChatGoogleGenerativeAI } = await import('@langchain/google-genai');
  const model = new ChatGoogleGenerativeAI({
    model: 'gemini-2.5-flash',
    apiKey: 'bench',
    baseUrl: url,
    apiVersion: 'v1beta',
    maxRetries: 0,
  });
  return consumer(model);
}

async function ollama(_workload, url) {
  const { ChatOllama } = await import('@langchain/ollama');
  return consumer(new ChatOllama({ model: 'qwen3:8b', baseUrl: url, maxRetries: 0 }));
}

export const setups = { openai, anthropic, google, ollama };
