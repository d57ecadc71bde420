import { TokenwireError } from '../model/errors.js';
import type { FinishEvent } from '../model/types.js';
import { checkSchema, listIssues } from '../request/schema-check.js';
import type { StructuredOutput } from '../request/structured-output.js';
import { normalizeAdapterError } from './normalize-error.js';
import { PartialJsonParser } from './partial-json.js';

/**
 * The structured answer of one attempt: the partial value as the text streams (`push`, linear in
 * the text), then the final value, parsed and validated, or the error that says why it is not.
 */
export class StructuredAnswer {
  private readonly parser = new PartialJsonParser();

  constructor(private readonly output: StructuredOutput) {}

  /** Reads a text delta; true when the partial value changed. */
  push(text: string): boolean {
    return this.parser.push(text);
  }

  /** The partial value as it stands now: a copy later text leaves unchanged (`partial_object.object`). */
  snapshot(): unknown {
    return this.parser.snapshot();
  }

  /** The answer as `finish.object`, or the `objectError` of an answer that is not JSON or breaks the schema. */
  async settle(
    content: string,
    provider: string,
  ): Promise<{ object: unknown } | { objectError: TokenwireError }> {
    let value: unknown;
    try {
      value = JSON.parse(jsonTextOf(content));
    } catch (error) {
      const why = this.parser.complete
        ? 'is not valid JSON'
        : 'is not valid JSON (it was cut off, or is not JSON at all)';
      return { objectError: objectError(provider, `The answer ${why}: ${(error as Error).message}`, error) };
    }
    const checked = await checkSchema(value, this.output);
    if ('issues' in checked) {
      return {
        objectError: objectError(
          provider,
          `The answer does not match the schema: ${listIssues(checked.issues)}.`,
        ),
      };
    }
    return { object: checked.value };
  }
}

/** The JSON of an answer: from its first `{` or `[` to its last `}` or `]` (a code fence or a sentence around it is dropped). */
function jsonTextOf(content: string): string {
  const start = content.search(/[[{]/);
  if (start === -1) return content;
  const end = Math.max(content.lastIndexOf('}'), content.lastIndexOf(']'));
  return end > start ? content.slice(start, end + 1) : content.slice(start);
}

function objectError(provider: string, message: string, cause?: unknown): TokenwireError {
  return new TokenwireError({ code: 'invalid_response', provider, retryable: false, message, cause });
}

/**
 * Sets `finish.object` or `finish.objectError` from the answer. `carried` is the length of the
 * earlier steps' text in `finish.content` (a later step of a tool loop answers after it). A Standard
 * Schema whose validate throws keeps the answer and says the failure.
 */
export async function settleStructured(
  finish: FinishEvent,
  answer: StructuredAnswer,
  carried: number,
): Promise<void> {
  try {
    Object.assign(finish, await answer.settle(finish.content.slice(carried), finish.provider));
  } catch (error) {
    finish.objectError = normalizeAdapterError(error, finish.provider, undefined);
  }
}
