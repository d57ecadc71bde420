import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { HookStream, RequestHookEvent } from '@tokenwire/core';
import {
  GEN_AI_INPUT_MESSAGES,
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MODEL,
  genAiProviderName,
  OPERATION_CHAT,
  OPERATION_INVOKE_AGENT,
  requestAttributes,
  serverAttributes,
} from './gen-ai-attributes.js';
import { contentText, inputMessages } from './gen-ai-messages.js';

/**
 * The spans of one stream, on the GenAI conventions: a `chat {model}` span (CLIENT) per model
 * call — per step of a tool loop, its retries and fallbacks as events — and, for a stream that
 * runs tools, an `invoke_agent` span (INTERNAL) around its steps and `execute_tool` spans.
 */
export interface StreamSpans {
  /** The chat span of the model call under way; undefined between a step's end and the next request. */
  chat: Span | undefined;
  /** The step the chat span is of. */
  chatStep: number;
  /** The span of the whole tool loop, when the stream runs executable tools. */
  agent: Span | undefined;
  /** The provider and model of the attempt the chat span describes (the last one sent). */
  provider: string;
  model: string;
  /** The model the stream asked for (the fallback's, after one): the metrics' `gen_ai.request.model`. */
  streamModel: string;
  /** A fallback was announced: the next request moves the chat span to the next model. */
  fallingBack: boolean;
  /** Tool call arguments by call id, from the steps; kept only when content is captured. */
  toolArguments: Map<string, string> | undefined;
}

/** What starting spans needs: the tracer and whether content is recorded. */
export interface SpanMaker {
  tracer: Tracer;
  captureContent: boolean;
}

/** The spans of a stream whose first hook call is `event`: with an agent span when it is a tool loop. */
export function streamSpansOf(maker: SpanMaker, event: HookStream | RequestHookEvent): StreamSpans {
  const spans: StreamSpans = {
    chat: undefined,
    chatStep: 0,
    agent: undefined,
    provider: event.provider,
    model: event.request.model,
    streamModel: event.request.model,
    fallingBack: false,
    toolArguments: maker.captureContent ? new Map() : undefined,
  };
  if ('toolLoop' in event && event.toolLoop) {
    const attributes: Attributes = {
      [GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_AGENT,
      [GEN_AI_PROVIDER_NAME]: genAiProviderName(event.provider),
      [GEN_AI_REQUEST_MODEL]: event.request.model,
    };
    spans.agent = maker.tracer.startSpan(
      OPERATION_INVOKE_AGENT,
      { kind: SpanKind.INTERNAL, startTime: event.startedAt, attributes },
      context.active(),
    );
  }
  return spans;
}

/** Starts the chat span of a model call: the stream's start for its first, now for a later step's. */
export function startChatSpan(
  maker: SpanMaker,
  spans: StreamSpans,
  event: HookStream | RequestHookEvent,
): Span {
  const model = event.request.model;
  const request = 'step' in event ? event : undefined;
  const attributes = {
    ...requestAttributes(event),
    ...(request === undefined ? {} : serverAttributes(request)),
  };
  const first = spans.chatStep === 0;
  const span = maker.tracer.startSpan(
    spanName(OPERATION_CHAT, model),
    { kind: SpanKind.CLIENT, startTime: first ? event.startedAt : Date.now(), attributes },
    parentOf(spans),
  );
  if (maker.captureContent)
    span.setAttribute(GEN_AI_INPUT_MESSAGES, contentText(inputMessages(event.request.messages)));
  spans.chat = span;
  spans.chatStep = request?.step ?? 1;
  spans.provider = event.provider;
  spans.model = model;
  return span;
}

/** Where a stream's chat and tool spans go: under its agent span, or the span active where it is read. */
export function parentOf(spans: StreamSpans): Context {
  return spans.agent === undefined ? context.active() : trace.setSpan(context.active(), spans.agent);
}

/** `{operation} {name}`, or the operation alone when the name is empty. */
export function spanName(operation: string, name: string): string {
  return name === '' ? operation : `${operation} ${name}`;
}

/** The spans of the streams under way, by stream id. */
export class StreamSpanTable {
  private readonly streams = new Map<string, StreamSpans>();

  constructor(private readonly maker: SpanMaker) {}

  /** The stream's spans, made at its first hook call. */
  of(event: HookStream): StreamSpans {
    let spans = this.streams.get(event.streamId);
    if (spans === undefined) {
      spans = streamSpansOf(this.maker, event);
      this.streams.set(event.streamId, spans);
    }
    return spans;
  }

  get(streamId: string): StreamSpans | undefined {
    return this.streams.get(streamId);
  }

  /** The stream's spans at its end, a chat span started if no request began one (it failed first). */
  ending(event: HookStream): StreamSpans {
    const spans = this.of(event);
    this.streams.delete(event.streamId);
    if (spans.chatStep === 0) startChatSpan(this.maker, spans, event);
    return spans;
  }
}
