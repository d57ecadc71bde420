/**
 * A complete adapter written by hand against `stream()`, the way before `defineAdapter` (about 230
 * lines): the OpenAI Chat Completions wire over plain `fetch` with a tiny SSE line reader, no
 * vendor SDK. The conformance suite's self-test runs against it, which keeps `stream()` adapters
 * supported. For a new adapter follow the README's "Writing an adapter" (`examples/custom-adapter.ts`,
 * about 110 lines). Not exported.
 */
import {
  type Adapter,
  type ChatRequest,
  type FinishReason,
  type Message,
  registerSecret,
  TokenwireError,
} from '@tokenwire/core';
import {
  type AdapterDelta,
  errorCodeFromStatus,
  retryAfterMsFromHeaders,
  toolCallArguments,
} from '@tokenwire/core/adapter';

interface ChatChunk {
  id?: string;
  model?: string;
  error?: { message?: string; type?: string };
  choices?: Array<{
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason?: string | null;
  }>;
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details?: { cached_tokens?: number };
    completion_tokens_details?: { reasoning_tokens?: number };
  } | null;
}

function toOpenAIMessage(message: Message): Record<string, unknown> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return {
        role: 'user',
        content:
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part) =>
                part.type === 'text'
                  ? { type: 'text', text: part.text }
                  : {
                      type: 'image_url',
                      image_url: { url: part.url ?? `data:${part.mediaType};base64,${part.data}` },
                    },
              ),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content ?? null,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: toolCallArguments(call) },
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
};

/** One parsed chunk -> deltas. Synchronous, as DESIGN.md's hot path asks. */
function translate(chunk: ChatChunk, state: { started: boolean }, out: AdapterDelta[]): void {
  if (chunk.error) {
    throw new TokenwireError({
      code: chunk.error.type === 'server_error' ? 'server' : 'unknown',
      provider: 'reference',
      message: `The stream reported an error: ${chunk.error.message ?? 'unknown'}`,
    });
  }
  if (!state.started) {
    // once: a second `start` would begin a new message (and undo a finish already seen)
    state.started = true;
    out.push({
      type: 'start',
      ...(chunk.model ? { model: chunk.model } : {}),
      ...(chunk.id ? { responseId: chunk.id } : {}),
    });
  }
  const choice = chunk.choices?.[0];
  const delta = choice?.delta;
  if (delta?.reasoning_content) out.push({ type: 'reasoning', delta: delta.reasoning_content });
  if (delta?.content) out.push({ type: 'text', delta: delta.content });
  for (const call of delta?.tool_calls ?? []) {
    out.push({
      type: 'tool_call',
      ...(call.index === undefined ? {} : { index: call.index }),
      ...(call.id ? { id: call.id } : {}),
      ...(call.function?.name ? { name: call.function.name } : {}),
      argumentsDelta: call.function?.arguments ?? '',
    });
  }
  if (choice?.finish_reason) {
    out.push({
      type: 'finish',
      reason: FINISH_REASONS[choice.finish_reason] ?? 'other',
      rawReason: choice.finish_reason,
    });
  }
  const usage = chunk.usage;
  if (usage) {
    out.push({
      type: 'usage',
      usage: {
        inputTokens: usage.prompt_tokens,
        outputTokens: usage.completion_tokens,
        totalTokens: usage.total_tokens,
        ...(usage.prompt_tokens_details?.cached_tokens === undefined
          ? {}
          : { cachedInputTokens: usage.prompt_tokens_details.cached_tokens }),
        ...(usage.completion_tokens_details?.reasoning_tokens === undefined
          ? {}
          : { reasoningTokens: usage.completion_tokens_details.reasoning_tokens }),
      },
    });
  }
}

/** The messages, after an instruction to answer in JSON when JSON mode is on and no message says "json" (OpenAI refuses that). */
function messagesOf(request: ChatRequest): unknown[] {
  const messages = request.messages.map(toOpenAIMessage);
  const saysJson = request.messages.some((message) =>
    JSON.stringify(message.content).toLowerCase().includes('json'),
  );
  if (request.responseFormat?.type !== 'json' || saysJson) return messages;
  return [{ role: 'system', content: 'Answer with one JSON object.' }, ...messages];
}

/** `response_format` for a JSON answer: JSON mode, or the named schema. */
function responseFormatOf(request: ChatRequest): Record<string, unknown> {
  const format = request.responseFormat;
  if (format?.type === 'json') return { response_format: { type: 'json_object' } };
  if (format?.type !== 'json_schema') return {};
  const { name = 'response', schema } = format;
  return { response_format: { type: 'json_schema', json_schema: { name, schema } } };
}

/**
 * Creates an adapter for any OpenAI-compatible Chat Completions endpoint at `baseURL` (without
 * `/v1`), on plain `fetch`.
 */
export function createReferenceAdapter(options: { baseURL: string; apiKey?: string }): Adapter {
  registerSecret(options.apiKey); // redacted wherever it shows: an echoing 401, a proxy's page
  return {
    name: 'reference',
    async *stream(request: ChatRequest, { signal }) {
      const response = await fetch(`${options.baseURL}/v1/chat/completions`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey ?? 'none'}` },
        body: JSON.stringify({
          model: request.model,
          messages: messagesOf(request),
          stream: true,
          stream_options: { include_usage: true },
          ...responseFormatOf(request),
          ...(request.tools?.length
            ? {
                tools: request.tools.map((tool) => ({
                  type: 'function',
                  function: { name: tool.name, description: tool.description, parameters: tool.parameters },
                })),
              }
            : {}),
        }),
      });
      if (!response.ok || response.body === null) {
        const body = (await response.json().catch(() => ({}))) as ChatChunk;
        throw new TokenwireError({
          code: errorCodeFromStatus(response.status),
          provider: 'reference',
          status: response.status,
          message: `HTTP ${response.status}: ${body.error?.message ?? response.statusText}`,
          retryAfterMs: retryAfterMsFromHeaders(response.headers),
        });
      }
      // The tiny SSE reader: split lines, keep `data:` lines, stop at [DONE].
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const deltas: AdapterDelta[] = [];
      const state = { started: false };
      let buffer = '';
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += value;
          let newline = buffer.indexOf('\n');
          for (; newline >= 0; newline = buffer.indexOf('\n')) {
            const line = buffer.slice(0, newline).trimEnd();
            buffer = buffer.slice(newline + 1);
            if (!line.startsWith('data:')) continue; // blank lines, comments, `event:` lines
            const data = line.slice(5).trim();
            if (data === '[DONE]') return;
            deltas.length = 0;
            translate(JSON.parse(data) as ChatChunk, state, deltas);
            yield* deltas;
          }
        }
      } finally {
        await reader.cancel().catch(() => {});
      }
    },
  };
}
