import { TokenwireError } from './errors.js';
import { PartialJsonParser } from './partial-json.js';
import type { StructuredOutput } from './structured-output.js';

/** How many issues an `objectError` lists; the rest are counted. */
const LISTED_ISSUES = 5;

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

  /** The live partial value. */
  get value(): unknown {
    return this.parser.value;
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
    const { standard, jsonSchema } = this.output;
    if (standard !== undefined) {
      const result = await standard['~standard'].validate(value);
      if (result.issues === undefined) return { object: result.value };
      return { objectError: schemaError(provider, result.issues.map(describeIssue)) };
    }
    if (jsonSchema !== undefined) {
      const { Validator } = await import('@cfworker/json-schema');
      const result = new Validator(jsonSchema as never, '2020-12', false).validate(value);
      if (!result.valid) {
        const issues = result.errors
          .filter((issue) => issue.keyword !== 'properties' && issue.keyword !== 'items')
          .map(
            (issue) =>
              `${issue.instanceLocation.replace(/^#/, '') || '/'}: ${issue.error.replace(/\.$/, '')}`,
          );
        return {
          objectError: schemaError(
            provider,
            issues.length > 0 ? issues : ['the answer does not match the schema'],
          ),
        };
      }
    }
    return { object: value };
  }
}

/** The JSON of an answer: from its first `{` or `[` to its last `}` or `]` (a code fence or a sentence around it is dropped). */
function jsonTextOf(content: string): string {
  const start = content.search(/[[{]/);
  if (start === -1) return content;
  const end = Math.max(content.lastIndexOf('}'), content.lastIndexOf(']'));
  return end > start ? content.slice(start, end + 1) : content.slice(start);
}

function describeIssue(issue: {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}): string {
  const path = (issue.path ?? []).map((segment) =>
    String(typeof segment === 'object' ? segment.key : segment),
  );
  return `${path.length === 0 ? '/' : `/${path.join('/')}`}: ${issue.message}`;
}

function schemaError(provider: string, issues: string[]): TokenwireError {
  const listed = issues.slice(0, LISTED_ISSUES).join('; ');
  const more = issues.length > LISTED_ISSUES ? `; and ${issues.length - LISTED_ISSUES} more` : '';
  return objectError(provider, `The answer does not match the schema: ${listed}${more}.`);
}

function objectError(provider: string, message: string, cause?: unknown): TokenwireError {
  return new TokenwireError({ code: 'invalid_response', provider, retryable: false, message, cause });
}
