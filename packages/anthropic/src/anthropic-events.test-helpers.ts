import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import {
  type AnthropicStreamEvent,
  type AnthropicStreamState,
  createAnthropicStreamState,
  translateAnthropicEvent,
} from './anthropic-stream.js';

/** Builders of raw Anthropic stream events, with only the fields a case needs. */
export const events = {
  messageStart(
    id = 'msg_1',
    usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 1 },
    extra: Record<string, unknown> = {},
  ): AnthropicStreamEvent {
    return event({
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: 'claude-test-1',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
        ...extra,
      },
    });
  },
  blockStart(index: number, contentBlock: Record<string, unknown>): AnthropicStreamEvent {
    return event({ type: 'content_block_start', index, content_block: contentBlock });
  },
  delta(index: number, delta: Record<string, unknown>): AnthropicStreamEvent {
    return event({ type: 'content_block_delta', index, delta });
  },
  text(index: number, text: string): AnthropicStreamEvent {
    return event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
  },
  blockStop(index: number): AnthropicStreamEvent {
    return event({ type: 'content_block_stop', index });
  },
  messageDelta(
    stopReason: string | null,
    usage: Record<string, unknown> = { output_tokens: 20 },
  ): AnthropicStreamEvent {
    return event({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage });
  },
  messageStop(): AnthropicStreamEvent {
    return event({ type: 'message_stop' });
  },
  ping(): AnthropicStreamEvent {
    return event({ type: 'ping' });
  },
};

/** Any JSON payload as a stream event: the translator must cope with what the wire sends. */
export function event(payload: unknown): AnthropicStreamEvent {
  return payload as AnthropicStreamEvent;
}

/** Every delta the translator produces for these events, in order. */
export function translateAll(
  list: AnthropicStreamEvent[],
  state: AnthropicStreamState = createAnthropicStreamState(),
): AdapterDelta[] {
  return list.flatMap((item) => translateAnthropicEvent(item, state));
}

/** The payloads of a recorded Anthropic fixture, from ../shared/fixtures/anthropic (never copied). */
export function anthropicFixture(name: string): AnthropicStreamEvent[] {
  const url = fixtureUrl(name);
  if (!existsSync(url)) {
    throw new Error(
      `The recorded fixture ${name} is missing from ${fileURLToPath(fixtureUrl(''))}: check out shared/fixtures beside this repository.`,
    );
  }
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AnthropicStreamEvent);
}

/**
 * The responses a fixture holds, each ending at its `message_stop`. The Messages API streams one
 * message per response; a recorder that saves a whole exchange (programmatic tool calling, tool
 * search) concatenates several, which is why their container `expires_at` changes between messages.
 */
export function fixtureResponses(name: string): AnthropicStreamEvent[][] {
  const responses: AnthropicStreamEvent[][] = [[]];
  for (const payload of anthropicFixture(name)) {
    (responses.at(-1) as AnthropicStreamEvent[]).push(payload);
    if (payload.type === 'message_stop') responses.push([]);
  }
  return responses.filter((response) => response.length > 0);
}

/** Where a recorded Anthropic fixture lives: the shared/ checkout next to this repository. */
export function fixtureUrl(name: string): URL {
  return new URL(`../../../../shared/fixtures/anthropic/${name}`, import.meta.url);
}

/** What a list of deltas adds up to, for compact assertions over whole recorded streams. */
export interface DeltaSummary {
  text: string;
  reasoning: string;
  signatures: string[];
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  /** Tool calls announced but never closed with tool_call_end. */
  openToolCalls: number;
  /** The rawReason of every finish delta, in order. */
  finishes: Array<string | undefined>;
  /** Every usage delta merged, later fields winning (as the runtime does). */
  usage: Record<string, unknown>;
  responseIds: Array<string | undefined>;
}

/** Adds up deltas the simple way, independently of the core runtime. */
export function summarize(deltas: AdapterDelta[]): DeltaSummary {
  const summary: DeltaSummary = {
    text: '',
    reasoning: '',
    signatures: [],
    toolCalls: [],
    openToolCalls: 0,
    finishes: [],
    usage: {},
    responseIds: [],
  };
  const open = new Map<number | undefined, { id: string; name: string; arguments: string }>();
  for (const item of deltas) {
    switch (item.type) {
      case 'text':
        summary.text += item.delta;
        break;
      case 'reasoning':
        summary.reasoning += item.delta;
        if (item.signature !== undefined) summary.signatures.push(item.signature);
        break;
      case 'tool_call': {
        if (item.id !== undefined) {
          const call = { id: item.id, name: item.name ?? '', arguments: item.argumentsDelta ?? '' };
          summary.toolCalls.push(call);
          open.set(item.index, call);
        } else {
          const call = open.get(item.index);
          if (call === undefined) throw new Error(`argument fragment for unknown tool call ${item.index}`);
          call.arguments += item.argumentsDelta ?? '';
        }
        break;
      }
      case 'tool_call_end':
        open.delete(item.index);
        break;
      case 'usage':
        Object.assign(summary.usage, item.usage);
        break;
      case 'finish':
        summary.finishes.push(item.rawReason);
        break;
      case 'start':
        summary.responseIds.push(item.responseId);
        break;
    }
  }
  summary.openToolCalls = open.size;
  return summary;
}

/** The concatenated `text_delta` (or `thinking_delta`) payloads of a fixture, read straight from the file. */
export function concatenatedDeltas(name: string, kind: 'text_delta' | 'thinking_delta'): string {
  let result = '';
  for (const payload of anthropicFixture(name) as Array<{ type: string; delta?: Record<string, string> }>) {
    if (payload.type !== 'content_block_delta' || payload.delta?.type !== kind) continue;
    result += kind === 'text_delta' ? payload.delta.text : payload.delta.thinking;
  }
  return result;
}

/** The `signature_delta` payloads of a fixture, read straight from the file. */
export function fixtureSignatures(name: string): string[] {
  return (anthropicFixture(name) as Array<{ type: string; delta?: { type: string; signature?: string } }>)
    .filter((payload) => payload.delta?.type === 'signature_delta')
    .map((payload) => payload.delta?.signature as string);
}
