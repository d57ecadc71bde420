import type { ChatRequest } from '@tokenwire/core';
import { inlineSizeProblem, requestProblem } from '@tokenwire/core/adapter';

/**
 * Gemini's limit on a file sent inline (base64): 50 MB; larger files go through the Files API or a URI.
 * @see https://ai.google.dev/gemini-api/docs/file-input-methods
 */
export const GOOGLE_FILE_LIMITS = { perFileBytes: 50 * 1024 * 1024, source: "Gemini's inline data limit" };

/** Gemini's most stop sequences ("up to 5"). @see https://ai.google.dev/api/generate-content#generationconfig */
const MAX_STOP_SEQUENCES = 5;
/** `seed` is an int32 in Gemini's `GenerationConfig`. */
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
/** Gemini's function names start with a letter or an underscore (core allows any of A-Z a-z 0-9 _ -). */
const FUNCTION_NAME_START = /^[A-Za-z_]/;

/**
 * Gemini's own limits on a request core has validated, checked before anything is sent: the
 * conversation needs a turn besides the system messages (Gemini takes those apart, as
 * `systemInstruction`, and refuses empty `contents`); no empty user text (an empty text part
 * carries no data, which Gemini refuses); at most 5 `stop` sequences; a `seed` that fits an int32;
 * function names that start with a letter or an underscore; inline files within 50 MB. Throws the
 * `invalid_request` error of `requestProblem`. The schema subset, tool parameters and image media
 * types are checked while the request is mapped (`toGoogleRequest`).
 */
export function checkGoogleRequest(request: ChatRequest, provider: string): void {
  if (request.messages.every((message) => message.role === 'system')) {
    throw requestProblem(
      'messages',
      'must hold a user, assistant or tool message besides the system messages: Gemini sends those apart (systemInstruction) and needs contents',
      request.messages,
      provider,
    );
  }
  emptyTextCheck(request, provider);
  const sizeProblem = inlineSizeProblem(request, GOOGLE_FILE_LIMITS, provider);
  if (sizeProblem !== undefined) throw sizeProblem;
  const stop = request.stop;
  if (stop !== undefined && stop.length > MAX_STOP_SEQUENCES) {
    throw requestProblem(
      'stop',
      `may hold at most ${MAX_STOP_SEQUENCES} sequences for Gemini`,
      stop,
      provider,
    );
  }
  const seed = request.seed;
  if (seed !== undefined && (seed < INT32_MIN || seed > INT32_MAX)) {
    throw requestProblem(
      'seed',
      `must be from ${INT32_MIN} to ${INT32_MAX} for Gemini (an int32)`,
      seed,
      provider,
    );
  }
  for (const [index, tool] of (request.tools ?? []).entries()) {
    if (!FUNCTION_NAME_START.test(tool.name)) {
      throw requestProblem(
        `tools[${index}].name`,
        'must start with a letter or an underscore for Gemini',
        tool.name,
        provider,
      );
    }
  }
}

function emptyTextCheck(request: ChatRequest, provider: string): void {
  const rule = 'must not be empty for Gemini, which refuses a text part without text';
  for (const [index, message] of request.messages.entries()) {
    if (message.role !== 'user') continue;
    if (message.content === '') throw requestProblem(`messages[${index}].content`, rule, '', provider);
    if (typeof message.content === 'string') continue;
    for (const [partIndex, part] of message.content.entries()) {
      if (part.type === 'text' && part.text === '')
        throw requestProblem(`messages[${index}].content[${partIndex}].text`, rule, '', provider);
    }
  }
}
