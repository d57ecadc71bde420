import { type Attributes, type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import type { TokenwireHooks, Usage } from '@tokenwire/core';
import {
  ERROR_TYPE,
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_TOKEN_TYPE,
  genAiProviderName,
  OPERATION_CHAT,
  RETRY_EVENT,
  TOKENWIRE_ATTEMPT,
  TOKENWIRE_RETRY_DELAY_MS,
} from './gen-ai-attributes.js';
import { type GenAiInstruments, INSTRUMENTATION_SCOPE, instrumentsOf } from './gen-ai-metrics.js';
import {
  endFailed,
  endFinished,
  endStep,
  markFallback,
  moveToFallback,
  recordToolSpan,
} from './gen-ai-span-ends.js';
import { type SpanMaker, type StreamSpans, StreamSpanTable, startChatSpan } from './gen-ai-spans.js';

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
  const streams = new StreamSpanTable(maker);

  return {
    onRequest(event) {
      const spans = streams.of(event);
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
      if (spans !== undefined) markFallback(spans, event);
    },
    onStep(event) {
      const spans = streams.get(event.streamId);
      if (spans !== undefined) endStep(spans, event.event);
    },
    onToolResult(event) {
      const spans = streams.get(event.streamId);
      if (spans !== undefined) recordToolSpan(maker, spans, event);
    },
    onFinish(event) {
      const spans = streams.ending(event);
      endFinished(maker, spans, event);
      const measured = operation(event.provider, spans, { [GEN_AI_RESPONSE_MODEL]: event.event.model });
      recordOperation(instruments(), measured, event.durationMs, event.usage);
    },
    onError(event) {
      const spans = streams.ending(event);
      endFailed(spans, event);
      const provider = event.error.provider ?? spans.provider;
      const measured = operation(provider, spans, { [ERROR_TYPE]: event.error.code });
      recordOperation(instruments(), measured, event.durationMs, event.partial.usage);
    },
  };
}

/** The attributes of a stream's metrics: the operation, the provider, the model asked for, and `extra`. */
function operation(provider: string, spans: StreamSpans, extra: Attributes): Attributes {
  return {
    [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
    [GEN_AI_PROVIDER_NAME]: genAiProviderName(provider),
    [GEN_AI_REQUEST_MODEL]: spans.streamModel,
    ...extra,
  };
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
