import type { ErrorEvent, FinishEvent, ReasoningChunk, StreamEvent } from '@tokenwire/core';
import { problemOfError } from '../gateway-problem.js';
import { type AnswerContext, type StreamEncoder, sseRecord } from './dialect.js';
import {
  finishedResponse,
  functionCallItem,
  messageItem,
  reasoningItem,
  responseObject,
  responsesUsageOf,
} from './responses-items.js';

// Responses SSE (Open Responses): response.created, output items added and done around their
// content parts and deltas, response.completed with the whole output and usage; response.failed.
// @see https://www.openresponses.org/specification

interface OpenItem {
  kind: 'message' | 'reasoning' | 'call';
  outputIndex: number;
  id: string;
  /** The text so far, in pieces joined once at the end. */
  pieces: string[];
  signature?: string;
  redactedData?: string;
  call?: { id: string; name: string };
}

/** Encodes one streamed Responses answer. */
export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  /** The done items, by output index: `response.completed` carries them all. */
  private readonly output: unknown[] = [];
  private open: OpenItem | undefined;
  /** Function call items still open, by tokenwire's call index. */
  private readonly calls = new Map<number, OpenItem>();

  constructor(private readonly context: AnswerContext) {}

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start': {
        const response = responseObject(this.context, 'in_progress', []);
        return (
          this.record('response.created', { response }) + this.record('response.in_progress', { response })
        );
      }
      case 'token':
        return event.content === '' ? '' : this.text(event.content);
      case 'reasoning':
        return this.reasoning(event);
      case 'tool_call_chunk':
        return (
          this.callStart(event.index, event.id, event.name) +
          this.callArguments(event.index, event.argumentsDelta)
        );
      case 'tool_call_complete': {
        const text = this.calls.has(event.index) ? '' : this.callStart(event.index, event.id, event.name);
        return (
          text +
          (text === '' ? '' : this.callArguments(event.index, event.arguments)) +
          this.callDone(event.index)
        );
      }
      case 'finish':
        return this.finish(event);
      case 'error':
        return this.failed(event);
      default:
        return '';
    }
  }

  private text(delta: string): string {
    let text = '';
    if (this.open?.kind !== 'message') {
      text = this.begin('message', `msg_${this.context.id}_${this.output.length}`);
      const item = this.open as OpenItem;
      const part = { type: 'output_text', text: '', annotations: [] };
      text += this.record('response.content_part.added', this.at(item, { content_index: 0, part }));
    }
    const item = this.open as OpenItem;
    item.pieces.push(delta);
    return (
      text +
      this.rawRecord(
        'response.output_text.delta',
        `"item_id":"${item.id}","output_index":${item.outputIndex},"content_index":0,"delta":${JSON.stringify(delta)},"logprobs":[]`,
      )
    );
  }

  private reasoning(event: ReasoningChunk): string {
    let text = '';
    if (this.open?.kind !== 'reasoning' || this.open.signature !== undefined) {
      text = this.begin('reasoning', `rs_${this.context.id}_${this.output.length}`);
    }
    const item = this.open as OpenItem;
    if (event.content !== '') {
      if (item.pieces.length === 0) {
        const part = { type: 'reasoning_text', text: '' };
        text += this.record('response.content_part.added', this.at(item, { content_index: 0, part }));
      }
      item.pieces.push(event.content);
      text += this.rawRecord(
        'response.reasoning_text.delta',
        `"item_id":"${item.id}","output_index":${item.outputIndex},"content_index":0,"delta":${JSON.stringify(event.content)}`,
      );
    }
    if (event.signature !== undefined) item.signature = event.signature;
    if (event.redactedData !== undefined) item.redactedData = event.redactedData;
    return text;
  }

  private callStart(callIndex: number, id: string, name: string): string {
    if (this.calls.has(callIndex)) return '';
    const text = this.close();
    const item: OpenItem = {
      kind: 'call',
      outputIndex: this.output.length,
      id: `fc_${this.context.id}_${this.output.length}`,
      pieces: [],
      call: { id, name },
    };
    this.output.push(undefined);
    this.calls.set(callIndex, item);
    return text + this.added(item, functionCallItem(item.id, { id, name, arguments: '' }, 'in_progress'));
  }

  private callArguments(callIndex: number, fragment: string): string {
    const item = this.calls.get(callIndex);
    if (item === undefined || fragment === '') return '';
    item.pieces.push(fragment);
    return this.rawRecord(
      'response.function_call_arguments.delta',
      `"item_id":"${item.id}","output_index":${item.outputIndex},"delta":${JSON.stringify(fragment)}`,
    );
  }

  private callDone(callIndex: number): string {
    const item = this.calls.get(callIndex);
    if (item === undefined) return '';
    this.calls.delete(callIndex);
    const call = item.call as { id: string; name: string };
    const args = item.pieces.join('');
    const done = functionCallItem(item.id, { ...call, arguments: args }, 'completed');
    return (
      this.record(
        'response.function_call_arguments.done',
        this.at(item, { name: call.name, arguments: args }),
      ) + this.done(item, done)
    );
  }

  private finish(event: FinishEvent): string {
    let text = this.close();
    for (const index of [...this.calls.keys()]) text += this.callDone(index);
    const response = finishedResponse(event, this.context, this.output);
    const type =
      (response as { status: string }).status === 'completed' ? 'response.completed' : 'response.incomplete';
    return text + this.record(type, { response });
  }

  private failed(event: ErrorEvent): string {
    const problem = problemOfError(event.error);
    const response = responseObject(this.context, 'failed', this.output.filter(Boolean), {
      error: { code: problem.code, message: problem.message },
      usage: responsesUsageOf(event.partial.usage),
    });
    return this.record('response.failed', { response });
  }

  /** Closes the open item and opens a message or reasoning item: their records. */
  private begin(kind: 'message' | 'reasoning', id: string): string {
    const text = this.close();
    const item: OpenItem = { kind, outputIndex: this.output.length, id, pieces: [] };
    this.output.push(undefined);
    this.open = item;
    const shape = kind === 'message' ? messageItem(id, '', 'in_progress') : reasoningItem(id, undefined);
    return text + this.added(item, shape);
  }

  /** Closes the open message or reasoning item. */
  private close(): string {
    const item = this.open;
    if (item === undefined) return '';
    this.open = undefined;
    const text = item.pieces.join('');
    if (item.kind === 'message') {
      const part = { type: 'output_text', text, annotations: [] };
      return (
        this.record('response.output_text.done', this.at(item, { content_index: 0, text, logprobs: [] })) +
        this.record('response.content_part.done', this.at(item, { content_index: 0, part })) +
        this.done(item, messageItem(item.id, text, 'completed'))
      );
    }
    const part = { text, signature: item.signature, redactedData: item.redactedData };
    let records = '';
    if (text !== '') {
      records =
        this.record('response.reasoning_text.done', this.at(item, { content_index: 0, text })) +
        this.record(
          'response.content_part.done',
          this.at(item, { content_index: 0, part: { type: 'reasoning_text', text } }),
        );
    }
    return records + this.done(item, reasoningItem(item.id, part));
  }

  private added(item: OpenItem, shape: unknown): string {
    return this.record('response.output_item.added', { output_index: item.outputIndex, item: shape });
  }

  private done(item: OpenItem, shape: unknown): string {
    this.output[item.outputIndex] = shape;
    return this.record('response.output_item.done', { output_index: item.outputIndex, item: shape });
  }

  private at(item: OpenItem, fields: Record<string, unknown>): Record<string, unknown> {
    return { item_id: item.id, output_index: item.outputIndex, ...fields };
  }

  private record(type: string, fields: Record<string, unknown>): string {
    return sseRecord(JSON.stringify({ type, sequence_number: this.sequence++, ...fields }), type);
  }

  private rawRecord(type: string, fields: string): string {
    return sseRecord(`{"type":"${type}","sequence_number":${this.sequence++},${fields}}`, type);
  }
}
