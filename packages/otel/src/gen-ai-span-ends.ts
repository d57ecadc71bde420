import { type Attributes, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type {
  ErrorHookEvent,
  FallbackHookEvent,
  FinishHookEvent,
  RequestHookEvent,
  StepFinishEvent,
  ToolResultHookEvent,
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
  GEN_AI_TOOL_CALL_ARGUMENTS,
  GEN_AI_TOOL_CALL_ID,
  GEN_AI_TOOL_CALL_RESULT,
  GEN_AI_TOOL_NAME,
  GEN_AI_TOOL_TYPE,
  genAiProviderName,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  serverAttributes,
  TOKENWIRE_ATTEMPT,
  TOKENWIRE_FALLBACK_MODEL,
  TOKENWIRE_FALLBACK_PROVIDER,
  TOOL_ERROR,
  usageAttributes,
} from './gen-ai-attributes.js';
import { contentText, outputMessages } from './gen-ai-messages.js';
import { parentOf, type SpanMaker, type StreamSpans, spanName } from './gen-ai-spans.js';

/** A fallback is announced: a span event on the chat span; the next request moves it to the next model. */
export function markFallback(spans: StreamSpans, event: FallbackHookEvent): void {
  if (spans.chat === undefined) return;
  spans.fallingBack = true;
  spans.chat.addEvent(FALLBACK_EVENT, {
    [TOKENWIRE_ATTEMPT]: event.attempt,
    [ERROR_TYPE]: event.error.code,
    [GEN_AI_PROVIDER_NAME]: genAiProviderName(spans.provider),
    [GEN_AI_REQUEST_MODEL]: spans.streamModel,
    [TOKENWIRE_FALLBACK_PROVIDER]: event.next.provider,
    [TOKENWIRE_FALLBACK_MODEL]: event.next.model,
  });
}

/**
 * A step ended: its calls' arguments are kept for their tool spans, and a step that calls tools
 * ends its model call here, before the tools run; the answering step's chat span ends with the
 * stream, which says more of it.
 */
export function endStep(spans: StreamSpans, step: StepFinishEvent): void {
  for (const call of step.toolCalls) spans.toolArguments?.set(call.id, call.arguments);
  if (step.reason !== 'tool_calls') return;
  spans.chat?.setAttributes({
    [GEN_AI_RESPONSE_FINISH_REASONS]: [step.reason],
    ...usageAttributes(step.usage),
  });
  spans.chat?.end();
  spans.chat = undefined;
}

/** Ends a failed stream's spans with the error's type and message, its partial usage and cost on the whole. */
export function endFailed(spans: StreamSpans, event: ErrorHookEvent): void {
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
}

/** Ends a finished stream's last chat span (the last step's usage) and its agent span (the whole's). */
export function endFinished(maker: SpanMaker, spans: StreamSpans, event: FinishHookEvent): void {
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
export function moveToFallback(spans: StreamSpans, chat: Span, event: RequestHookEvent): void {
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
export function recordToolSpan(maker: SpanMaker, spans: StreamSpans, event: ToolResultHookEvent): void {
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
