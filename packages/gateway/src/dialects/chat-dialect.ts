import type { FinishEvent, FinishReason, StreamEvent, Usage } from '@tokenwire/core';
import { type GatewayProblem, problemOfError } from '../gateway-problem.js';
import { decodeChatRequest } from './chat-request.js';
import { type AnswerContext, type Dialect, type StreamEncoder, sseRecord } from './dialect.js';

// OpenAI Chat Completions answers: `chat.completion.chunk` records ending `data: [DONE]`, or one
// `chat.completion` body.
// @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming

/** The finish reason as Chat Completions names it. */
function finishReasonOf(reason: FinishReason): string {
  if (reason === 'length' || reason === 'tool_calls' || reason === 'content_filter') return reason;
  return 'stop';
}

/** Usage in Chat Completions' names; the details only when the provider counted them. */
export function chatUsageOf(usage: Usage): Record<string, unknown> {
  const answer: Record<string, unknown> = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedInputTokens !== undefined)
    answer.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined)
    answer.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return answer;
}

/** OpenAI's error type for a status. */
export function openaiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** OpenAI's error object: `{ message, type, param, code }`. */
export function openaiError(problem: GatewayProblem): Record<string, unknown> {
  return {
    message: problem.message,
    type: openaiErrorType(problem.status),
    param: problem.param ?? null,
    code: problem.code,
  };
}

class ChatStreamEncoder implements StreamEncoder {
  // Every chunk shares its envelope: written once, so a delta costs one JSON.stringify of its text.
  private readonly head: string;
  private readonly startedCalls = new Set<number>();

  constructor(private readonly context: AnswerContext) {
    this.head =
      `{"id":"chatcmpl-${context.id}","object":"chat.completion.chunk","created":${context.created},` +
      `"model":${JSON.stringify(context.model)},"choices":[{"index":0,"delta":`;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        return this.chunk('{"role":"assistant","content":""}');
      case 'token':
        return event.content === '' ? '' : this.chunk(`{"content":${JSON.stringify(event.content)}}`);
      case 'reasoning':
        // DeepSeek's field, which most OpenAI-compatible clients read; signatures have no place here.
        return event.content === ''
          ? ''
          : this.chunk(`{"reasoning_content":${JSON.stringify(event.content)}}`);
      case 'tool_call_chunk':
        return this.chunk(this.toolCallDelta(event.index, event.id, event.name, event.argumentsDelta));
      case 'tool_call_complete':
        // A call that never streamed a fragment still reaches the client, whole.
        return this.startedCalls.has(event.index)
          ? ''
          : this.chunk(this.toolCallDelta(event.index, event.id, event.name, event.arguments));
      case 'finish':
        return this.finish(event);
      case 'error':
        return sseRecord(JSON.stringify({ error: openaiError(problemOfError(event.error)) }));
      default:
        return '';
    }
  }

  private toolCallDelta(index: number, id: string, name: string, fragment: string): string {
    const args = JSON.stringify(fragment);
    if (this.startedCalls.has(index))
      return `{"tool_calls":[{"index":${index},"function":{"arguments":${args}}}]}`;
    this.startedCalls.add(index);
    return (
      `{"tool_calls":[{"index":${index},"id":${JSON.stringify(id)},"type":"function",` +
      `"function":{"name":${JSON.stringify(name)},"arguments":${args}}}]}`
    );
  }

  private finish(event: FinishEvent): string {
    let text = this.chunk('{}', finishReasonOf(event.reason));
    if (this.context.includeUsage) {
      const usage = JSON.stringify(chatUsageOf(event.usage));
      text += sseRecord(
        `${this.head.slice(0, this.head.indexOf('"choices"'))}"choices":[],"usage":${usage}}`,
      );
    }
    return `${text}data: [DONE]\n\n`;
  }

  private chunk(delta: string, finishReason?: string): string {
    const reason = finishReason === undefined ? 'null' : `"${finishReason}"`;
    return `data: ${this.head}${delta},"finish_reason":${reason}}]}\n\n`;
  }
}

function answerBody(finish: FinishEvent, context: AnswerContext): unknown {
  const message: Record<string, unknown> = { role: 'assistant', content: finish.content, refusal: null };
  if (finish.reasoning !== '') message.reasoning_content = finish.reasoning;
  if (finish.toolCalls.length > 0) {
    if (finish.content === '') message.content = null;
    message.tool_calls = finish.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: `chatcmpl-${context.id}`,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(finish.reason) }],
    usage: chatUsageOf(finish.usage),
  };
}

/** OpenAI Chat Completions: `POST /v1/chat/completions`. */
export const chatDialect: Dialect = {
  name: 'chat',
  decode: decodeChatRequest,
  streamEncoder: (context) => new ChatStreamEncoder(context),
  answerBody,
  errorAnswer: (problem) => ({ status: problem.status, body: { error: openaiError(problem) } }),
};
