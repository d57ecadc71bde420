import Anthropic from '@anthropic-ai/sdk';
import type { FinishEvent } from '@tokenwire/core';
import OpenAI from 'openai';
import { WEATHER_TOOL } from './gateway.test-helpers.js';

// The real vendor SDKs as gateway clients: each sends one request in its dialect and returns what
// it assembled, in one comparable shape.

/** What a client assembled from the gateway's answer. */
export interface Assembled {
  content: string;
  reasoning: string;
  toolCalls: Array<{ id: string; name: string; input: unknown }>;
  usage: { input: number; output: number; total: number; cachedInput: number };
  /** Anthropic thinking's signature, or Responses' encrypted_content. */
  signature?: string;
}

/** The same shape from tokenwire's own finish event. */
export function assembledOf(finish: FinishEvent): Assembled {
  const assembled: Assembled = {
    content: finish.content,
    reasoning: finish.reasoning,
    toolCalls: finish.toolCalls.map((call) => ({ id: call.id, name: call.name, input: call.input })),
    usage: {
      input: finish.usage.inputTokens,
      output: finish.usage.outputTokens,
      total: finish.usage.totalTokens,
      cachedInput: finish.usage.cachedInputTokens ?? 0,
    },
  };
  const signature = finish.reasoningParts?.find((part) => part.signature !== undefined)?.signature;
  if (signature !== undefined) assembled.signature = signature;
  return assembled;
}

/** The dialects a client can speak to the gateway. */
export type DialectName = 'chat' | 'messages' | 'responses';

const prompt = 'Hello';

/** The openai SDK on Chat Completions, streaming with usage; chunks assembled as a client does. */
export async function chatClient(url: string, model: string, tools: boolean): Promise<Assembled> {
  const client = new OpenAI({ apiKey: 'gateway-client', baseURL: `${url}/v1`, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: prompt }],
    stream: true,
    stream_options: { include_usage: true },
    ...(tools ? { tools: [{ type: 'function' as const, function: WEATHER_TOOL }] } : {}),
  });
  const assembled: Assembled = {
    content: '',
    reasoning: '',
    toolCalls: [],
    usage: { input: 0, output: 0, total: 0, cachedInput: 0 },
  };
  const args: string[] = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta as
      | (OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string })
      | undefined;
    assembled.content += delta?.content ?? '';
    assembled.reasoning += delta?.reasoning_content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      if (call.id !== undefined)
        assembled.toolCalls[call.index] = { id: call.id, name: call.function?.name ?? '', input: undefined };
      args[call.index] = (args[call.index] ?? '') + (call.function?.arguments ?? '');
    }
    if (chunk.usage) assembled.usage = usageOfChat(chunk.usage);
  }
  assembled.toolCalls.forEach((call, index) => {
    call.input = JSON.parse(args[index] || '{}');
  });
  return assembled;
}

function usageOfChat(usage: OpenAI.CompletionUsage): Assembled['usage'] {
  return {
    input: usage.prompt_tokens,
    output: usage.completion_tokens,
    total: usage.total_tokens,
    cachedInput: usage.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

/** The anthropic SDK's MessageStream: `finalMessage()` is its own assembly of the events. */
export async function messagesClient(url: string, model: string, tools: boolean): Promise<Assembled> {
  const client = new Anthropic({ apiKey: 'gateway-client', baseURL: url, maxRetries: 0 });
  const message = await client.messages
    .stream({
      model,
      max_tokens: 1024,
      messages: [{ role: 'user', content: prompt }],
      ...(tools ? { tools: [{ name: WEATHER_TOOL.name, input_schema: WEATHER_TOOL.parameters }] } : {}),
    })
    .finalMessage();
  const assembled: Assembled = {
    content: '',
    reasoning: '',
    toolCalls: [],
    usage: { input: 0, output: 0, total: 0, cachedInput: 0 },
  };
  for (const block of message.content) {
    if (block.type === 'text') assembled.content += block.text;
    else if (block.type === 'thinking') {
      assembled.reasoning += block.thinking;
      if (block.signature !== '') assembled.signature = block.signature;
    } else if (block.type === 'tool_use')
      assembled.toolCalls.push({ id: block.id, name: block.name, input: block.input });
  }
  const usage = message.usage;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const input = usage.input_tokens + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  assembled.usage = {
    input,
    output: usage.output_tokens,
    total: input + usage.output_tokens,
    cachedInput: cacheRead,
  };
  return assembled;
}

/** The openai SDK's ResponseStream: `finalResponse()` is its own assembly of the events. */
export async function responsesClient(url: string, model: string, tools: boolean): Promise<Assembled> {
  const client = new OpenAI({ apiKey: 'gateway-client', baseURL: `${url}/v1`, maxRetries: 0 });
  const response = await client.responses
    .stream({
      model,
      input: prompt,
      ...(tools ? { tools: [{ type: 'function' as const, strict: false, ...WEATHER_TOOL }] } : {}),
    })
    .finalResponse();
  const assembled: Assembled = {
    content: '',
    reasoning: '',
    toolCalls: [],
    usage: { input: 0, output: 0, total: 0, cachedInput: 0 },
  };
  for (const item of response.output) {
    if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') assembled.content += part.text;
    } else if (item.type === 'reasoning') {
      for (const part of item.content ?? []) assembled.reasoning += part.text;
      if (item.encrypted_content) assembled.signature = item.encrypted_content.replace(/^tw-signature:/, '');
    } else if (item.type === 'function_call') {
      assembled.toolCalls.push({
        id: item.call_id,
        name: item.name,
        input: JSON.parse(item.arguments || '{}'),
      });
    }
  }
  const usage = response.usage;
  if (usage) {
    assembled.usage = {
      input: usage.input_tokens,
      output: usage.output_tokens,
      total: usage.total_tokens,
      cachedInput: usage.input_tokens_details.cached_tokens,
    };
  }
  return assembled;
}

/** The client of a dialect. */
export const CLIENTS: Record<
  DialectName,
  (url: string, model: string, tools: boolean) => Promise<Assembled>
> = {
  chat: chatClient,
  messages: messagesClient,
  responses: responsesClient,
};
