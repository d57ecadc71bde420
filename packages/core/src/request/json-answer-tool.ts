import type { TokenwireError } from '../model/errors.js';
import type { ChatRequest } from '../model/types.js';
import { requestProblem } from './request-problem.js';

/** The name of the forced tool whose input is a JSON answer (Anthropic's and Bedrock's tool mode). */
export const JSON_ANSWER_TOOL = 'json';

/** Who carries the answer in a forced tool, named in the errors. */
export interface ForcedToolAnswer {
  provider: string;
  /** The vendor as users call it: `Anthropic`, `Bedrock`. */
  vendor: string;
  /** The request field of the vendor's native structured output, offered instead: `output_config.format`. */
  native: string;
}

/**
 * The `invalid_request` error of a JSON answer a forced tool cannot carry, or undefined: a tool's
 * input is an object, so a `json_schema` must be an object schema, and a request tool named
 * `json` would be taken for the answer. For adapters whose answer method is the forced tool.
 */
export function forcedToolAnswerProblem(
  request: ChatRequest,
  answer: ForcedToolAnswer,
): TokenwireError | undefined {
  const { provider, vendor, native } = answer;
  const format = request.responseFormat;
  if (format?.type === 'json_schema' && format.schema.type !== 'object') {
    return requestProblem(
      'responseFormat.schema',
      `must be an object schema (type 'object') for ${vendor} with structuredOutput 'tool', which sends it as the input schema of a forced tool: ` +
        `wrap the answer in an object, or use structuredOutput 'native' (${native})`,
      format.schema.type,
      provider,
    );
  }
  const index = request.tools?.findIndex((tool) => tool.name === JSON_ANSWER_TOOL) ?? -1;
  if (index === -1) return undefined;
  const instead =
    format?.type === 'json'
      ? 'rename the tool'
      : `rename the tool, or use structuredOutput 'native' (${native})`;
  return requestProblem(
    `tools[${index}].name`,
    `must not be '${JSON_ANSWER_TOOL}' with this responseFormat on ${vendor}: the answer comes as the input of a forced tool of that name, so the two would be confused; ${instead}`,
    JSON_ANSWER_TOOL,
    provider,
  );
}
