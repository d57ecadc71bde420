import type { FinishEvent, FinishReason, ReasoningChunk, StreamEvent, Usage } from '@tokenwire/core';
import { problemOfError } from '../gateway-problem.js';
import { type AnswerContext, type StreamEncoder, sseRecord } from './dialect.js';
import { anthropicError } from './messages-errors.js';

// Anthropic Messages SSE: message_start, content blocks by index (start, deltas, stop),
// message_delta with the stop reason and usage, message_stop; `event: error` mid-stream.
// @see https://docs.claude.com/en/docs/build-with-claude/streaming

const STOP_REASONS = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

/** The stop reason in Anthropic's words: the provider's own when it was Anthropic's. */
export function stopReasonOf(reason: FinishReason, rawReason: string | undefined): string {
  if (reason === 'tool_calls') return 'tool_use';
  if (rawReason !== undefined && STOP_REASONS.has(rawReason) && rawReason !== 'tool_use') return rawReason;
  if (reason === 'length') return 'max_tokens';
  return reason === 'content_filter' ? 'refusal' : 'end_turn';
}

/** Usage in Anthropic's names: `input_tokens` leaves out the cache reads and writes counted apart. */
export function anthropicUsageOf(usage: Usage): Record<string, number> {
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const answer: Record<string, number> = {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    output_tokens: usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) answer.cache_read_input_tokens = cacheRead;
  if (usage.cacheWriteTokens !== undefined) answer.cache_creation_input_tokens = cacheWrite;
  return answer;
}

type OpenBlock = { kind: 'text' | 'thinking' | 'tool'; index: number };

/** Encodes one streamed Messages answer. */
export class MessagesStreamEncoder implements StreamEncoder {
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  /** Block index of each tool call, by tokenwire's call index. */
  private readonly toolBlocks = new Map<number, number>();

  constructor(private readonly context: AnswerContext) {}

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        return this.messageStart();
      case 'token':
        if (event.content === '') return '';
        return (
          this.ensureOpen('text', '{"type":"text","text":""}') +
          this.delta('text_delta', 'text', event.content)
        );
      case 'reasoning':
        return this.reasoning(event);
      case 'tool_call_chunk':
        return (
          this.toolStart(event.index, event.id, event.name) +
          this.toolArguments(event.index, event.argumentsDelta)
        );
      case 'tool_call_complete':
        return this.toolComplete(event.index, event.id, event.name, event.arguments);
      case 'finish':
        return this.finish(event);
      case 'error': {
        const { error } = anthropicError(problemOfError(event.error));
        return sseRecord(JSON.stringify({ type: 'error', error }), 'error');
      }
      default:
        return '';
    }
  }

  private messageStart(): string {
    const message = {
      id: `msg_${this.context.id}`,
      type: 'message',
      role: 'assistant',
      model: this.context.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // The input count arrives with the provider's finish, in message_delta.
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return sseRecord(JSON.stringify({ type: 'message_start', message }), 'message_start');
  }

  private reasoning(event: ReasoningChunk): string {
    if (event.providerBlock !== undefined) return this.wholeBlock(JSON.stringify(event.providerBlock));
    if (event.redactedData !== undefined && event.content === '') {
      return this.wholeBlock(JSON.stringify({ type: 'redacted_thinking', data: event.redactedData }));
    }
    let text = this.ensureOpen('thinking', '{"type":"thinking","thinking":"","signature":""}');
    if (event.content !== '') text += this.delta('thinking_delta', 'thinking', event.content);
    if (event.signature !== undefined) {
      // A signature seals its block: more reasoning after it is a new block.
      text += this.delta('signature_delta', 'signature', event.signature) + this.close();
    }
    return text;
  }

  private toolStart(callIndex: number, id: string, name: string): string {
    if (this.toolBlocks.has(callIndex)) return '';
    const text = this.close();
    const index = this.nextIndex++;
    this.toolBlocks.set(callIndex, index);
    this.open = { kind: 'tool', index };
    const block = `{"type":"tool_use","id":${JSON.stringify(id)},"name":${JSON.stringify(name)},"input":{}}`;
    return text + this.blockStart(index, block);
  }

  private toolArguments(callIndex: number, fragment: string): string {
    if (fragment === '') return '';
    // A call's fragments keep its block index, even after another block began (calls interleaved upstream).
    const index = this.toolBlocks.get(callIndex) as number;
    return sseRecord(
      `{"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(fragment)}}}`,
      'content_block_delta',
    );
  }

  private toolComplete(callIndex: number, id: string, name: string, args: string): string {
    let text = '';
    if (!this.toolBlocks.has(callIndex))
      text = this.toolStart(callIndex, id, name) + this.toolArguments(callIndex, args);
    const index = this.toolBlocks.get(callIndex);
    return this.open?.kind === 'tool' && this.open.index === index ? text + this.close() : text;
  }

  private finish(event: FinishEvent): string {
    const delta = { stop_reason: stopReasonOf(event.reason, event.rawReason), stop_sequence: null };
    const usage = anthropicUsageOf(event.usage);
    return (
      this.close() +
      sseRecord(JSON.stringify({ type: 'message_delta', delta, usage }), 'message_delta') +
      sseRecord('{"type":"message_stop"}', 'message_stop')
    );
  }

  private ensureOpen(kind: 'text' | 'thinking', block: string): string {
    if (this.open?.kind === kind) return '';
    const text = this.close();
    const index = this.nextIndex++;
    this.open = { kind, index };
    return text + this.blockStart(index, block);
  }

  private wholeBlock(block: string): string {
    const text = this.close();
    const index = this.nextIndex++;
    return text + this.blockStart(index, block) + this.blockStop(index);
  }

  private close(): string {
    if (this.open === undefined) return '';
    const text = this.blockStop(this.open.index);
    this.open = undefined;
    return text;
  }

  private blockStart(index: number, block: string): string {
    return sseRecord(
      `{"type":"content_block_start","index":${index},"content_block":${block}}`,
      'content_block_start',
    );
  }

  private blockStop(index: number): string {
    return sseRecord(`{"type":"content_block_stop","index":${index}}`, 'content_block_stop');
  }

  private delta(type: string, field: string, value: string): string {
    const index = (this.open as OpenBlock).index;
    return sseRecord(
      `{"type":"content_block_delta","index":${index},"delta":{"type":"${type}","${field}":${JSON.stringify(value)}}}`,
      'content_block_delta',
    );
  }
}
