// The floor: each vendor SDK's own streaming call, consumed with `for await`, doing the minimum
// (count the text, reasoning and tool-argument pieces). SDKs are imported lazily, so a process
// loads only the one its workload needs.
import { newCounts, PROMPT, TOOL } from './common.mjs';

async function openai(workload, url) {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'bench', baseURL: `${url}/v1`, maxRetries: 0 });
  const tools = workload.tool
    ? [
        {
          type: 'function',
          function: { name: TOOL.name, description: TOOL.description, parameters: TOOL.parameters },
        },
      ]
    : undefined;
  return async () => {
    const counts = newCounts();
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
      tools,
    });
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      if (delta === undefined) continue;
      if (delta.content) counts.text++;
      if (delta.tool_calls?.[0]?.function?.arguments) counts.tool++;
    }
    return counts;
  };
}

async function anthropic(workload, url) {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({ apiKey: 'bench', baseURL: url, maxRetries: 0 });
  const tools = workload.tool
    ? [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.parameters }]
    : undefined;
  return async () => {
    const counts = newCounts();
    const stream = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 64_000,
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      tools,
    });
    for await (const event of stream) {
      if (event.type !== 'content_block_delta') continue;
      const delta = event.delta;
      if (delta.type === 'text_delta') counts.text++;
      else if (delta.type === 'thinking_delta') counts.reasoning++;
      else if (delta.type === 'input_json_delta') counts.tool++;
    }
    return counts;
  };
}

function countGeminiParts(chunk, counts) {
  const parts = chunk.candidates?.[0]?.content?.parts;
  if (parts === undefined) return;
  for (const part of parts) if (part.text) counts[part.thought ? 'reasoning' : 'text']++;
}

async function google(_workload, url) {
  const { GoogleGenAI } = await import('@google/genai');
  const client = new GoogleGenAI({ apiKey: 'bench', httpOptions: { baseUrl: url, apiVersion: 'v1beta' } });
  return async () => {
    const counts = newCounts();
    const stream = await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: PROMPT });
    for await (const chunk of stream) countGeminiParts(chunk, counts);
    return counts;
  };
}

async function googleLegacy(_workload, url) {
  const { GoogleGenerativeAI } = await import('@google/generative-ai');
  const model = new GoogleGenerativeAI('bench').getGenerativeModel(
    { model: 'gemini-2.5-flash' },
    { baseUrl: url, apiVersion: 'v1beta' },
  );
  return async () => {
    const counts = newCounts();
    const result = await model.generateContentStream(PROMPT);
    result.response.catch(() => {}); // VENDOR-NOTES §3: otherwise an unhandled rejection on errors
    for await (const chunk of result.stream) countGeminiParts(chunk, counts);
    return counts;
  };
}

async function ollama(_workload, url) {
  const { Ollama } = await import('ollama');
  const client = new Ollama({ host: url });
  return async () => {
    const counts = newCounts();
    const stream = await client.chat({
      model: 'qwen3:8b',
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
    });
    for await (const part of stream) {
      if (part.message.content) counts.text++;
      if (part.message.thinking) counts.reasoning++;
    }
    return counts;
  };
}

export const setups = { openai, anthropic, google, 'google-legacy': googleLegacy, ollama };
