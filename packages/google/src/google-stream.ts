import { type FinishReason, TokenwireError, type Usage } from '@tokenwire/core';
import type { AdapterDelta, Translator } from '@tokenwire/core/adapter';
import { googleErrorFromBody } from './google-errors.js';
import { PartialArguments } from './google-partial-args.js';
import type { GoogleChunk, GoogleFunctionCall, GooglePart, GoogleUsageMetadata } from './google-types.js';
import { mapGoogleFinishReason } from './map-google-finish-reason.js';

/** A function call whose arguments are still streaming in as `partialArgs` pieces. */
interface StreamingCall {
  index: number;
  arguments: PartialArguments;
}

/** What the translator remembers between the chunks of one stream. Create one per stream. */
export interface GoogleStreamState {
  /** Provider name used in errors. */
  readonly provider: string;
  startSent: boolean;
  /** Set at the terminal record (a `finishReason`, or a blocked prompt): nothing more belongs to the response. */
  finished: boolean;
  /** Our own sequential tool-call index (Gemini numbers nothing). */
  nextToolIndex: number;
  streamingCall: StreamingCall | undefined;
  /** The latest `usageMetadata` (a running total), and the one last reported. */
  usage: GoogleUsageMetadata | undefined;
  reportedUsage: GoogleUsageMetadata | undefined;
}

/** A fresh translator state for one stream; `provider` names the provider in errors (default 'google'). */
export function createGoogleStreamState(provider = 'google'): GoogleStreamState {
  return {
    provider,
    startSent: false,
    finished: false,
    nextToolIndex: 0,
    streamingCall: undefined,
    usage: undefined,
    reportedUsage: undefined,
  };
}

/**
 * Translates one `GenerateContentResponse` chunk (from either Google SDK) into deltas,
 * synchronously, pushing them to `out` (a new array by default) and returning it. Reads the first
 * candidate only. Text parts become `text`, `thought: true` parts `reasoning`, and every
 * `thoughtSignature` is kept as a reasoning signature. Whole function calls become one complete
 * tool call each; streamed ones (`willContinue` + `partialArgs`) are rebuilt and sent once, when
 * the call ends. Usage is reported before the finish. Throws a TokenwireError for an in-band
 * `{ error }` record and for `MALFORMED_FUNCTION_CALL`.
 *
 * The chunk with the first `finishReason` (or a prompt's `blockReason`) is the terminal record:
 * `state.finished` is then true. Every recorded stream (fixtures/google/generate-content, Gemini 3
 * and Vertex streamed arguments included) sends it on its last chunk, with the final usage and the
 * terminal empty `functionCall: {}` of a streamed call in the same chunk; its parts are read first.
 */
export function translateGoogleChunk(
  chunk: GoogleChunk,
  state: GoogleStreamState,
  out: AdapterDelta[] = [],
): AdapterDelta[] {
  if (chunk.error) throw googleErrorFromBody(chunk.error, state.provider, chunk.error);
  if (!state.startSent && (chunk.modelVersion !== undefined || chunk.responseId !== undefined)) {
    state.startSent = true;
    const start: AdapterDelta & { type: 'start' } = { type: 'start' };
    if (chunk.modelVersion !== undefined) start.model = chunk.modelVersion;
    if (chunk.responseId !== undefined) start.responseId = chunk.responseId;
    out.push(start);
  }
  if (chunk.usageMetadata !== undefined) state.usage = chunk.usageMetadata;
  const candidate = chunk.candidates?.[0];
  const parts = candidate?.content?.parts;
  if (parts !== undefined) for (const part of parts) translatePart(part, state, out);
  const reason = candidate?.finishReason;
  if (reason !== undefined && reason !== '' && !state.finished) {
    if (reason === 'MALFORMED_FUNCTION_CALL') {
      throw new TokenwireError({
        code: 'invalid_response',
        provider: state.provider,
        message: `${state.provider} produced a malformed function call (finishReason MALFORMED_FUNCTION_CALL)${candidate?.finishMessage ? `: ${candidate.finishMessage}` : ''}.`,
      });
    }
    finish(state, out, mapGoogleFinishReason(reason), reason);
  }
  const blockReason = chunk.promptFeedback?.blockReason;
  if (blockReason !== undefined && blockReason !== '' && !state.finished) {
    // The prompt itself was blocked: no candidate comes, only this feedback.
    finish(state, out, 'content_filter', blockReason);
  }
  return out;
}

/**
 * The deltas still owed when the SDK's stream ends, pushed to `out` (a new array by default): a
 * streamed function call whose terminal record never came, and usage that arrived after the
 * finish. Never a finish: a stream without a `finishReason` is truncated, and the runtime reports
 * it so.
 */
export function finishGoogleStream(state: GoogleStreamState, out: AdapterDelta[] = []): AdapterDelta[] {
  closeStreamingCall(state, out);
  reportUsage(state, out);
  return out;
}

/**
 * The Gemini translator of one provider, for both transports and both SDKs (they yield the same
 * `GenerateContentResponse` shape): the chunk with the first `finishReason` is the terminal
 * record, so the runtime finishes and closes the connection then, even when the server holds it
 * open (both SDKs would wait for its end); at the end, a streamed call still open is closed and
 * the last usage reported (`finishGoogleStream`).
 */
export function googleTranslator(provider: string): Translator<GoogleChunk, GoogleStreamState> {
  return {
    start: () => createGoogleStreamState(provider),
    translate(chunk, state, out) {
      translateGoogleChunk(chunk, state, out);
      return state.finished;
    },
    end: (state, out) => void finishGoogleStream(state, out),
  };
}

function finish(
  state: GoogleStreamState,
  out: AdapterDelta[],
  reason: FinishReason,
  rawReason: string,
): void {
  closeStreamingCall(state, out);
  reportUsage(state, out);
  state.finished = true;
  out.push({ type: 'finish', reason, rawReason });
}

function translatePart(part: GooglePart, state: GoogleStreamState, out: AdapterDelta[]): void {
  const signature = part.thoughtSignature || undefined;
  if (part.functionCall !== undefined) {
    // Gemini 3 signs the (first) function call of a turn; it must be sent back with the call.
    if (signature !== undefined) out.push({ type: 'reasoning', delta: '', signature });
    translateFunctionCall(part.functionCall, state, out);
    return;
  }
  const text = part.text;
  if (part.thought === true) {
    if (signature !== undefined) out.push({ type: 'reasoning', delta: text ?? '', signature });
    else if (text) out.push({ type: 'reasoning', delta: text });
    return;
  }
  if (text) out.push({ type: 'text', delta: text });
  // An image (or other file) the model made, whole in one part: a `file` event, not dropped.
  // @see https://ai.google.dev/gemini-api/docs/image-generation
  const inline = part.inlineData;
  if (inline?.data && inline.mimeType)
    out.push({ type: 'file', mediaType: inline.mimeType, data: inline.data });
  // A signature on an answer part (often an empty last text part): kept for the next request.
  if (signature !== undefined) out.push({ type: 'reasoning', delta: '', signature });
  // executableCode, codeExecutionResult and future part kinds are ignored.
}

function translateFunctionCall(
  call: GoogleFunctionCall,
  state: GoogleStreamState,
  out: AdapterDelta[],
): void {
  if (call.name) {
    closeStreamingCall(state, out); // a new call: the previous streamed one is over
    const index = state.nextToolIndex++;
    const fragment: AdapterDelta & { type: 'tool_call' } = { type: 'tool_call', index, name: call.name };
    if (call.id) fragment.id = call.id;
    if (call.willContinue === true) {
      // The first record of a streamed call: announce the name now, the arguments at its end.
      out.push(fragment);
      const streaming: StreamingCall = { index, arguments: new PartialArguments() };
      for (const piece of call.partialArgs ?? []) streaming.arguments.apply(piece);
      state.streamingCall = streaming;
      return;
    }
    fragment.argumentsDelta = call.args === undefined ? '{}' : JSON.stringify(call.args);
    out.push(fragment, { type: 'tool_call_end', index });
    return;
  }
  const streaming = state.streamingCall;
  if (streaming === undefined) return; // a terminal record without an open call: nothing to close
  for (const piece of call.partialArgs ?? []) streaming.arguments.apply(piece);
  // `willContinue` absent: this was the call's last record (the empty `functionCall: {}` terminal
  // record, or a last piece when the terminal record is left out).
  if (call.willContinue !== true) closeStreamingCall(state, out);
}

function closeStreamingCall(state: GoogleStreamState, out: AdapterDelta[]): void {
  const streaming = state.streamingCall;
  if (streaming === undefined) return;
  state.streamingCall = undefined;
  out.push(
    { type: 'tool_call', index: streaming.index, argumentsDelta: streaming.arguments.toJSON() },
    { type: 'tool_call_end', index: streaming.index },
  );
}

function reportUsage(state: GoogleStreamState, out: AdapterDelta[]): void {
  const metadata = state.usage;
  if (metadata === undefined || metadata === state.reportedUsage) return;
  state.reportedUsage = metadata;
  const usage = usageFromMetadata(metadata);
  // Early Vertex chunks carry only `trafficType`: nothing to report.
  if (Object.keys(usage).length > 0) out.push({ type: 'usage', usage });
}

/**
 * Gemini usage as normalized usage: input includes cached reads (and tool-use prompt tokens),
 * output includes thinking tokens, which Gemini counts apart.
 */
export function usageFromMetadata(metadata: GoogleUsageMetadata): Partial<Usage> {
  const usage: Partial<Usage> = {};
  const {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    thoughtsTokenCount: thoughts,
  } = metadata;
  if (prompt !== undefined) usage.inputTokens = prompt + (metadata.toolUsePromptTokenCount ?? 0);
  if (candidates !== undefined || thoughts !== undefined)
    usage.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (metadata.totalTokenCount !== undefined) usage.totalTokens = metadata.totalTokenCount;
  if (metadata.cachedContentTokenCount !== undefined)
    usage.cachedInputTokens = metadata.cachedContentTokenCount;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}
