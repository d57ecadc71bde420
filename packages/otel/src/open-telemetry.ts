import {
  type Attributes,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type {
  FinishHookEvent,
  HookStream,
  RequestHookEvent,
  TokenwireHooks,
  ToolResultHookEvent,
  Usage,
} from '@tokenwire/core';
import {
  costAttributes,
  ERROR_TYPE,
  FALLBACK_EVENT,
  GEN_AI_OPERATION_NAME,
  GEN_AI_OUTPUT_MESSAGES,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_TOKEN_TYPE,
  GEN_AI_TOOL_CALL_ARGUMENTS,
  GEN_AI_TOOL_CALL_ID,
  GEN_AI_TOOL_CALL_RESULT,
  GEN_AI_TOOL_NAME,
  GEN_AI_TOOL_TYPE,
  genAiProviderName,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  RETRY_EVENT,
  serverAttributes,
  TOKENWIRE_ATTEMPT,
  TOKENWIRE_FALLBACK_MODEL,
  TOKENWIRE_FALLBACK_PROVIDER,
  TOKENWIRE_RETRY_DELAY_MS,
  TOOL_ERROR,
  usageAttributes,
} from './gen-ai-attributes.js';
import { contentText, outputMessages } from './gen-ai-messages.js';
import { type GenAiInstruments, INSTRUMENTATION_SCOPE, instrumentsOf } from './gen-ai-metrics.js';
import {
  parentOf,
  type SpanMaker,
  type StreamSpans,
  spanName,
  startChatSpan,
  streamSpansOf,
} from './gen-ai-spans.js';

/** What `openTelemetry()` records to, and whether it records content. */
export interface OpenTelemetryOptions {
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`), as NodeSDK registers it. */
  tracerProvider?: TracerProvider;
  /**
   * Where the metrics go. Default: the global meter provider (`metrics.getMeterProvider()`), looked
   * up at each stream, so hooks made before the SDK starts record once it has.
   */
  meterProvider?: MeterProvider;
  /**
   * Record the prompt messages, the answer, and tool arguments and results
   * (`gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.tool.call.arguments`,
   * `gen_ai.tool.call.result`). They may hold personal data. Default false.
   */
  captureContent?: boolean;
}

/**
 * Hooks that trace tokenwire streams with the OpenTelemetry GenAI semantic conventions: a
 * `chat {model}` span (kind CLIENT) per model call, with `server.address`/`server.port`, seed,
 * output type and stop sequences when given, retries and fallbacks as its span events; for a
 * stream that runs executable tools, one `invoke_agent` span (INTERNAL) from its start to its end
 * with a chat span per step and an `execute_tool {name}` span per executed tool under it. Metrics:
 * the `gen_ai.client.token.usage`, `gen_ai.client.operation.duration` and
 * `gen_ai.client.operation.time_to_first_chunk` histograms, per stream. Nothing is done per delta.
 *
 * Content is recorded only with `captureContent: true`. Request headers and `providerOptions` are
 * never read: an API key cannot reach a span through these hooks, and error messages come from
 * tokenwire errors, which core has already redacted.
 *
 * @example
 * const tokenwire = createTokenwire({ hooks: [openTelemetry()] }); // the global providers of NodeSDK
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): TokenwireHooks {
  const maker: SpanMaker = {
    tracer: (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE),
    captureContent: options.captureContent === true,
  };
  const instruments: () => GenAiInstruments = instrumentsOf(
    () => options.meterProvider ?? metrics.getMeterProvider(),
  );
  const streams = new Map<string, StreamSpans>();
  const spansOf = (event: HookStream): StreamSpans => {
    let spans = streams.get(event.streamId);
    if (spans === undefined) {
      spans = streamSpansOf(maker, event);
      streams.set(event.streamId, spans);
    }
    return spans;
  };
  /** The stream's spans at its end, a chat span started if no request began one (it failed first). */
  const endingSpansOf = (event: HookStream): StreamSpans => {
    const spans = spansOf(event);
    streams.delete(event.streamId);
    if (spans.chatStep === 0) startChatSpan(maker, spans, event);
    return spans;
  };

  return {
    onRequest(event) {
      const spans = spansOf(event);
      if (spans.chat === undefined || event.step !== spans.chatStep) {
        startChatSpan(maker, spans, event);
        spans.fallingBack = false;
      } else if (spans.fallingBack) moveToFallback(spans, spans.chat, event);
    },
    onFirstContent(event) {
      instruments().timeToFirstChunk.record(event.timeToFirstContentMs / 1000, {
        [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(event.provider),
        [GEN_AI_REQUEST_MODEL]: event.request.model,
      });
    },
    onRetry(event) {
      streams.get(event.streamId)?.chat?.addEvent(RETRY_EVENT, {
        [TOKENWIRE_ATTEMPT]: event.attempt,
        [ERROR_TYPE]: event.error.code,
        [TOKENWIRE_RETRY_DELAY_MS]: Math.round(event.delayMs),
      });
    },
    onFallback(event) {
      const spans = streams.get(event.streamId);
      if (spans?.chat === undefined) return;
      spans.fallingBack = true;
      spans.chat.addEvent(FALLBACK_EVENT, {
        [TOKENWIRE_ATTEMPT]: event.attempt,
        [ERROR_TYPE]: event.error.code,
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(spans.provider),
        [GEN_AI_REQUEST_MODEL]: spans.streamModel,
        [TOKENWIRE_FALLBACK_PROVIDER]: event.next.provider,
        [TOKENWIRE_FALLBACK_MODEL]: event.next.model,
      });
    },
    onStep(event) {
      const spans = streams.get(event.streamId);
      if (spans === undefined) return;
      const step = event.event;
      for (const call of step.toolCalls) spans.toolArguments?.set(call.id, call.arguments);
      // A step that calls tools ends its model call here, before the tools run; the answering
      // step's chat span ends with the stream, which says more of it.
      if (step.reason !== 'tool_calls') return;
      spans.chat?.setAttributes({
        [GEN_AI_RESPONSE_FINISH_REASONS]: [step.reason],
        ...usageAttributes(step.usage),
      });
      spans.chat?.end();
      spans.chat = undefined;
    },
    onToolResult(event) {
      const spans = streams.get(event.streamId);
      if (spans !== undefined) recordToolSpan(maker, spans, event);
    },
    onFinish(event) {
      const spans = endingSpansOf(event);
      endFinished(maker, spans, event);
      const measured: Attributes = {
        [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(event.provider),
        [GEN_AI_REQUEST_MODEL]: spans.streamModel,
        [GEN_AI_RESPONSE_MODEL]: event.event.model,
      };
      recordOperation(instruments(), measured, event.durationMs, event.usage);
    },
    onError(event) {
      const spans = endingSpansOf(event);
      const { error } = event;
      const provider = genAiProviderName(error.provider ?? spans.provider);
      const whole = (spans.agent ?? spans.chat) as Span;
      whole.setAttributes({ ...usageAttributes(event.partial.usage), ...costAttributes(event.cost) });
      for (const span of [spans.chat, spans.agent]) {
        if (span === undefined) continue;
        span.setAttributes({ [GEN_AI_PROVIDER_NAME]: provider, [ERROR_TYPE]: error.code });
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end(event.startedAt + event.durationMs);
      }
      const measured: Attributes = {
        [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
        [GEN_AI_PROVIDER_NAME]: provider,
        [GEN_AI_REQUEST_MODEL]: spans.streamModel,
        [ERROR_TYPE]: error.code,
      };
      recordOperation(instruments(), measured, event.durationMs, event.partial.usage);
    },
  };
}

/** Ends a finished stream's last chat span (the last step's usage) and its agent span (the whole's). */
function endFinished(maker: SpanMaker, spans: StreamSpans, event: FinishHookEvent): void {
  const finish = event.event;
  const answered: Attributes = {
    [GEN_AI_PROVIDER_NAME]: genAiProviderName(event.provider),
    [GEN_AI_RESPONSE_MODEL]: finish.model,
    [GEN_AI_RESPONSE_FINISH_REASONS]: [finish.reason],
  };
  // The last chat span is still open unless the loop stopped at maxSteps after a step that called tools.
  const { chat, agent } = spans;
  chat?.setAttributes({ ...answered, ...usageAttributes(finish.steps?.at(-1)?.usage ?? event.usage) });
  if (finish.responseId !== undefined) chat?.setAttribute(GEN_AI_RESPONSE_ID, finish.responseId);
  if (maker.captureContent) chat?.setAttribute(GEN_AI_OUTPUT_MESSAGES, contentText(outputMessages(finish)));
  // A cancelled stream is not an error: the status stays unset, as for every other finish.
  const whole = (agent ?? chat) as Span;
  whole.setAttributes({ ...answered, ...usageAttributes(event.usage), ...costAttributes(event.cost) });
  const endTime = event.startedAt + event.durationMs;
  chat?.end(endTime);
  agent?.end(endTime);
}

/** After a fallback the chat span describes the model that is now asked; the earlier attempts are its events. */
function moveToFallback(spans: StreamSpans, chat: Span, event: RequestHookEvent): void {
  spans.fallingBack = false;
  spans.provider = event.provider;
  spans.model = event.request.model;
  spans.streamModel = spans.model;
  chat.updateName(spanName(OPERATION_CHAT, spans.model));
  chat.setAttributes({
    [GEN_AI_PROVIDER_NAME]: genAiProviderName(spans.provider),
    [GEN_AI_REQUEST_MODEL]: spans.model,
    ...serverAttributes(event),
  });
}

/** The `execute_tool {name}` span of a tool that ran, under the stream's agent span. */
function recordToolSpan(maker: SpanMaker, spans: StreamSpans, event: ToolResultHookEvent): void {
  const result = event.event;
  const attributes: Attributes = {
    [GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL,
    [GEN_AI_TOOL_NAME]: result.name,
    [GEN_AI_TOOL_CALL_ID]: result.toolCallId,
    [GEN_AI_TOOL_TYPE]: 'function',
  };
  if (result.isError === true) attributes[ERROR_TYPE] = TOOL_ERROR;
  if (spans.toolArguments !== undefined) {
    const toolArguments = spans.toolArguments.get(result.toolCallId);
    spans.toolArguments.delete(result.toolCallId);
    if (toolArguments !== undefined) attributes[GEN_AI_TOOL_CALL_ARGUMENTS] = toolArguments;
    // The convention records a result only for a tool that succeeded.
    if (result.isError !== true) attributes[GEN_AI_TOOL_CALL_RESULT] = contentText(result.output);
  }
  const span = maker.tracer.startSpan(
    spanName(OPERATION_EXECUTE_TOOL, result.name),
    { kind: SpanKind.INTERNAL, startTime: event.toolStartedAt, attributes },
    parentOf(spans),
  );
  // No description: the failure's message is the tool's own text, content like its result.
  if (result.isError === true) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(event.toolStartedAt + event.durationMs);
}

/** The duration of the stream, and its exact token counts. */
function recordOperation(
  instruments: GenAiInstruments,
  attributes: Attributes,
  durationMs: number,
  usage: Usage,
): void {
  instruments.operationDuration.record(durationMs / 1000, attributes);
  if (usage.estimated) return;
  instruments.tokenUsage.record(usage.inputTokens, { ...attributes, [GEN_AI_TOKEN_TYPE]: 'input' });
  instruments.tokenUsage.record(usage.outputTokens, { ...attributes, [GEN_AI_TOKEN_TYPE]: 'output' });
}
