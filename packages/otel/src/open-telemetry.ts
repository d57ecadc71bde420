import {
  type Attributes,
  context,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { HookStream, TokenwireHooks, Usage } from '@tokenwire/core';
import {
  costAttributes,
  ERROR_TYPE,
  FALLBACK_EVENT,
  GEN_AI_INPUT_MESSAGES,
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
  requestAttributes,
  TOKENWIRE_ATTEMPT,
  TOKENWIRE_FALLBACK_MODEL,
  TOKENWIRE_FALLBACK_PROVIDER,
  TOKENWIRE_RETRY_DELAY_MS,
  TOOL_ERROR,
  usageAttributes,
} from './gen-ai-attributes.js';
import { contentText, inputMessages, outputMessages } from './gen-ai-messages.js';
import { type GenAiInstruments, INSTRUMENTATION_SCOPE, instrumentsOf } from './gen-ai-metrics.js';

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

/** One stream's chat span and what its later hooks need. */
interface ChatState {
  span: Span;
  /** The provider and model of the attempt the span describes (the last one sent). */
  provider: string;
  model: string;
  /** A fallback was announced: the next request moves the span to the next model. */
  fallingBack: boolean;
  /** Tool call arguments by call id, from the steps; kept only when content is captured. */
  toolArguments: Map<string, string> | undefined;
}

/**
 * Hooks that trace tokenwire streams with the OpenTelemetry GenAI semantic conventions: one
 * `chat {model}` span (kind CLIENT) per stream, from its start to its end, retries and fallbacks
 * as span events, an `execute_tool {name}` child span per executed tool, and the
 * `gen_ai.client.token.usage`, `gen_ai.client.operation.duration` and
 * `gen_ai.client.operation.time_to_first_chunk` histograms. Nothing is done per delta.
 *
 * Content is recorded only with `captureContent: true`. Request headers and `providerOptions` are
 * never read: an API key cannot reach a span through these hooks, and error messages come from
 * tokenwire errors, which core has already redacted.
 *
 * @example
 * const tokenwire = createTokenwire({ hooks: [openTelemetry()] }); // the global providers of NodeSDK
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): TokenwireHooks {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const instruments: () => GenAiInstruments = instrumentsOf(
    () => options.meterProvider ?? metrics.getMeterProvider(),
  );
  const captureContent = options.captureContent === true;
  const chats = new Map<string, ChatState>();

  /** The stream's chat span, started now if no request began it (a stream that failed before sending one). */
  const chatOf = (event: HookStream): ChatState => {
    const existing = chats.get(event.streamId);
    if (existing !== undefined) return existing;
    const model = event.request.model;
    const span = tracer.startSpan(
      spanName(OPERATION_CHAT, model),
      { kind: SpanKind.CLIENT, startTime: event.startedAt, attributes: requestAttributes(event) },
      context.active(),
    );
    if (captureContent)
      span.setAttribute(GEN_AI_INPUT_MESSAGES, contentText(inputMessages(event.request.messages)));
    const state: ChatState = {
      span,
      provider: event.provider,
      model,
      fallingBack: false,
      toolArguments: captureContent ? new Map() : undefined,
    };
    chats.set(event.streamId, state);
    return state;
  };

  return {
    onRequest(event) {
      const state = chatOf(event);
      if (!state.fallingBack) return;
      // After a fallback the span describes the model that is now asked; the earlier attempts are its events.
      state.fallingBack = false;
      state.provider = event.provider;
      state.model = event.request.model;
      state.span.updateName(spanName(OPERATION_CHAT, state.model));
      state.span.setAttributes({
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(state.provider),
        [GEN_AI_REQUEST_MODEL]: state.model,
      });
    },

    onFirstContent(event) {
      instruments().timeToFirstChunk.record(event.timeToFirstContentMs / 1000, {
        [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(event.provider),
        [GEN_AI_REQUEST_MODEL]: event.request.model,
      });
    },

    onRetry(event) {
      chats.get(event.streamId)?.span.addEvent(RETRY_EVENT, {
        [TOKENWIRE_ATTEMPT]: event.attempt,
        [ERROR_TYPE]: event.error.code,
        [TOKENWIRE_RETRY_DELAY_MS]: Math.round(event.delayMs),
      });
    },

    onFallback(event) {
      const state = chats.get(event.streamId);
      if (state === undefined) return;
      state.fallingBack = true;
      state.span.addEvent(FALLBACK_EVENT, {
        [TOKENWIRE_ATTEMPT]: event.attempt,
        [ERROR_TYPE]: event.error.code,
        [GEN_AI_PROVIDER_NAME]: genAiProviderName(state.provider),
        [GEN_AI_REQUEST_MODEL]: state.model,
        [TOKENWIRE_FALLBACK_PROVIDER]: event.next.provider,
        [TOKENWIRE_FALLBACK_MODEL]: event.next.model,
      });
    },

    onStep(event) {
      const toolArguments = chats.get(event.streamId)?.toolArguments;
      if (toolArguments === undefined) return;
      for (const call of event.event.toolCalls) toolArguments.set(call.id, call.arguments);
    },

    onToolResult(event) {
      const state = chats.get(event.streamId);
      if (state === undefined) return;
      const result = event.event;
      const attributes: Attributes = {
        [GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL,
        [GEN_AI_TOOL_NAME]: result.name,
        [GEN_AI_TOOL_CALL_ID]: result.toolCallId,
        [GEN_AI_TOOL_TYPE]: 'function',
      };
      if (result.isError === true) attributes[ERROR_TYPE] = TOOL_ERROR;
      if (state.toolArguments !== undefined) {
        const toolArguments = state.toolArguments.get(result.toolCallId);
        state.toolArguments.delete(result.toolCallId);
        if (toolArguments !== undefined) attributes[GEN_AI_TOOL_CALL_ARGUMENTS] = toolArguments;
        // The convention records a result only for a tool that succeeded.
        if (result.isError !== true) attributes[GEN_AI_TOOL_CALL_RESULT] = contentText(result.output);
      }
      const span = tracer.startSpan(
        spanName(OPERATION_EXECUTE_TOOL, result.name),
        { kind: SpanKind.INTERNAL, startTime: event.toolStartedAt, attributes },
        trace.setSpan(context.active(), state.span),
      );
      // No description: the failure's message is the tool's own text, content like its result.
      if (result.isError === true) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(event.toolStartedAt + event.durationMs);
    },

    onFinish(event) {
      const state = chatOf(event);
      chats.delete(event.streamId);
      const finish = event.event;
      const provider = genAiProviderName(event.provider);
      const measured: Attributes = {
        [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
        [GEN_AI_PROVIDER_NAME]: provider,
        [GEN_AI_REQUEST_MODEL]: state.model,
        [GEN_AI_RESPONSE_MODEL]: finish.model,
      };
      const { span } = state;
      span.setAttributes({
        [GEN_AI_PROVIDER_NAME]: provider,
        [GEN_AI_RESPONSE_MODEL]: finish.model,
        [GEN_AI_RESPONSE_FINISH_REASONS]: [finish.reason],
        ...usageAttributes(event.usage),
        ...costAttributes(event.cost),
      });
      if (finish.responseId !== undefined) span.setAttribute(GEN_AI_RESPONSE_ID, finish.responseId);
      if (captureContent) span.setAttribute(GEN_AI_OUTPUT_MESSAGES, contentText(outputMessages(finish)));
      // A cancelled stream is not an error: the status stays unset, as for every other finish.
      span.end(event.startedAt + event.durationMs);
      recordOperation(instruments(), measured, event.durationMs, event.usage);
    },

    onError(event) {
      const state = chatOf(event);
      chats.delete(event.streamId);
      const { error } = event;
      const provider = genAiProviderName(error.provider ?? state.provider);
      const { span } = state;
      span.setAttributes({
        [GEN_AI_PROVIDER_NAME]: provider,
        [ERROR_TYPE]: error.code,
        ...usageAttributes(event.partial.usage),
        ...costAttributes(event.cost),
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.end(event.startedAt + event.durationMs);
      const measured: Attributes = {
        [GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
        [GEN_AI_PROVIDER_NAME]: provider,
        [GEN_AI_REQUEST_MODEL]: state.model,
        [ERROR_TYPE]: error.code,
      };
      recordOperation(instruments(), measured, event.durationMs, event.partial.usage);
    },
  };
}

/** `{operation} {name}`, or the operation alone when the name is empty. */
function spanName(operation: string, name: string): string {
  return name === '' ? operation : `${operation} ${name}`;
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
