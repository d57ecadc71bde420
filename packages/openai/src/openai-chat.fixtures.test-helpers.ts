import type { FinishReason, ToolCall, Usage } from '@tokenwire/core';

/** What one recorded Chat Completions stream must produce, written out by hand from the recording. */
export interface ChatFixtureExpectation {
  model: string;
  responseId: string;
  reason: FinishReason;
  rawReason: string;
  contentLength: number;
  reasoningLength: number;
  toolCalls: ToolCall[];
  usage: Usage;
}

const weatherInSanFrancisco = { location: 'San Francisco' };

/** Expected results of every fixture under openai-chat/ and openai-chat-compatible/. */
export const CHAT_FIXTURE_EXPECTATIONS: Record<string, ChatFixtureExpectation> = {
  'openai-chat/openai-text.chunks.txt': {
    model: 'gpt-4.1-nano-2025-04-14',
    responseId: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
    reason: 'stop',
    rawReason: 'stop',
    contentLength: 1724,
    reasoningLength: 0,
    toolCalls: [],
    usage: {
      inputTokens: 16,
      outputTokens: 300,
      totalTokens: 316,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      estimated: false,
    },
  },
  'openai-chat/azure-model-router.1.chunks.txt': {
    model: 'gpt-5-nano-2025-08-07',
    responseId: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt',
    reason: 'stop',
    rawReason: 'stop',
    contentLength: 'Capital of Denmark.'.length,
    reasoningLength: 0,
    toolCalls: [],
    usage: {
      inputTokens: 15,
      outputTokens: 78,
      totalTokens: 93,
      cachedInputTokens: 0,
      reasoningTokens: 64,
      estimated: false,
    },
  },
  'openai-chat-compatible/alibaba-tool-call.chunks.txt': {
    model: 'qwen3-max',
    responseId: 'chatcmpl-8e243c57-23b3-9db2-a02e-e3c53929c368',
    reason: 'tool_calls',
    rawReason: 'tool_calls',
    contentLength: 0,
    reasoningLength: 0,
    toolCalls: [
      {
        id: 'call_eee11723464a4b9eb8cee71d',
        name: 'weather',
        arguments: '{"location": "San Francisco"}',
        input: weatherInSanFrancisco,
      },
    ],
    usage: { inputTokens: 295, outputTokens: 22, totalTokens: 317, cachedInputTokens: 0, estimated: false },
  },
  'openai-chat-compatible/deepseek-reasoning.chunks.txt': {
    model: 'deepseek-reasoner',
    responseId: 'cac7192e-e619-40c6-96b0-ed4276bc03ac',
    reason: 'stop',
    rawReason: 'stop',
    contentLength: 'The word "strawberry" contains three "r"s.'.length,
    reasoningLength: 606,
    toolCalls: [],
    usage: {
      inputTokens: 18,
      outputTokens: 219,
      totalTokens: 237,
      cachedInputTokens: 0,
      reasoningTokens: 205,
      estimated: false,
    },
  },
  'openai-chat-compatible/deepseek-tool-call.chunks.txt': {
    model: 'deepseek-reasoner',
    responseId: 'cca85624-4056-401f-b220-d77601d1f70d',
    reason: 'tool_calls',
    rawReason: 'tool_calls',
    contentLength: 0,
    reasoningLength: 191,
    toolCalls: [
      {
        id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF',
        name: 'weather',
        arguments: '{"location": "San Francisco"}',
        input: weatherInSanFrancisco,
      },
    ],
    usage: {
      inputTokens: 339,
      outputTokens: 83,
      totalTokens: 422,
      cachedInputTokens: 320,
      reasoningTokens: 39,
      estimated: false,
    },
  },
  'openai-chat-compatible/groq-tool-call.chunks.txt': {
    model: 'llama-3.3-70b-versatile',
    responseId: 'chatcmpl-b610d559-f156-4aca-8827-24b4fe6af54f',
    reason: 'tool_calls',
    rawReason: 'tool_calls',
    contentLength: 0,
    reasoningLength: 0,
    toolCalls: [{ id: 'tk85n1k4m', name: 'weather', arguments: '{}', input: {} }],
    usage: { inputTokens: 210, outputTokens: 15, totalTokens: 225, estimated: false },
  },
  'openai-chat-compatible/mistral-tool-call.chunks.txt': {
    model: 'mistral-small-latest',
    responseId: 'b3999b8c93e04e11bcbff7bcab829667',
    reason: 'tool_calls',
    rawReason: 'tool_calls',
    contentLength: 0,
    reasoningLength: 0,
    toolCalls: [
      {
        id: 'gSIMJiOkT',
        name: 'weather',
        arguments: '{"location": "San Francisco"}',
        input: weatherInSanFrancisco,
      },
    ],
    usage: { inputTokens: 124, outputTokens: 22, totalTokens: 146, estimated: false },
  },
};

/**
 * The text and reasoning of a recorded chat stream, read straight from the payloads (independent
 * of the translator): the concatenation of every `delta.content` and `delta.reasoning_content`.
 */
export function concatenatedDeltas(payloads: unknown[]): { content: string; reasoning: string } {
  let content = '';
  let reasoning = '';
  for (const payload of payloads) {
    const choices = (payload as { choices?: Array<{ delta?: Record<string, unknown> }> }).choices ?? [];
    for (const choice of choices) {
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string') content += delta.content;
      if (typeof delta.reasoning_content === 'string') reasoning += delta.reasoning_content;
    }
  }
  return { content, reasoning };
}
