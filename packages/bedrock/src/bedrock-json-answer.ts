import type { Tool as BedrockTool, OutputConfig, ToolChoice } from '@aws-sdk/client-bedrock-runtime';
import type { ChatRequest, TokenwireError } from '@tokenwire/core';
import { forcedToolAnswerProblem, JSON_ANSWER_TOOL } from '@tokenwire/core/internal';

/**
 * How a `json_schema` answer is asked of Bedrock (the adapter's `structuredOutput` setting):
 * `'native'` as `outputConfig.textFormat`, `'tool'` as the input schema of a forced tool.
 */
export type BedrockStructuredOutput = 'native' | 'tool';

/** The name of the forced tool whose input is the answer (core's, shared with the other tool-mode adapters). */
export { JSON_ANSWER_TOOL };

/**
 * How a request's JSON answer is asked for:
 * - `'output_config'`: `json_schema` with `structuredOutput: 'native'`, sent as
 *   `outputConfig.textFormat` (Converse's structured outputs, for the models that have them);
 * - `'tool'`: `{ type: 'json' }` (Converse has no schema-less JSON mode), or `json_schema` with
 *   `structuredOutput: 'tool'`: a tool named `json` with the schema as its input schema, forced by
 *   `toolChoice`; its input streams back as the answer's text. Every model with tool use takes it;
 * - `'instructions'`: the same, but with Claude's extended thinking on, which refuses forced tool
 *   use: no tool, and core's JSON instruction as a last system block.
 */
export type JsonAnswerMethod = 'output_config' | 'tool' | 'instructions';

/** The method of the request's JSON answer, or undefined for a text answer. */
export function jsonAnswerMethodOf(
  request: ChatRequest,
  structuredOutput: BedrockStructuredOutput,
): JsonAnswerMethod | undefined {
  const format = request.responseFormat;
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_schema' && structuredOutput === 'native') return 'output_config';
  return (request.reasoning?.budgetTokens ?? 0) > 0 ? 'instructions' : 'tool';
}

/** The `invalid_request` error of a JSON answer the forced tool cannot carry (core's check), or undefined. */
export function jsonAnswerProblem(
  request: ChatRequest,
  structuredOutput: BedrockStructuredOutput,
  provider: string,
): TokenwireError | undefined {
  if (jsonAnswerMethodOf(request, structuredOutput) !== 'tool') return undefined;
  return forcedToolAnswerProblem(request, { provider, vendor: 'Bedrock', native: 'outputConfig.textFormat' });
}

/** The forced tool whose input is the answer: `{ type: 'object' }` for `{ type: 'json' }`, else the schema. */
export function jsonAnswerTool(format: ChatRequest['responseFormat']): BedrockTool {
  const schema = format?.type === 'json_schema' ? format.schema : { type: 'object' };
  const toolSpec: NonNullable<BedrockTool['toolSpec']> = {
    name: JSON_ANSWER_TOOL,
    description: 'Answer with this tool: its input is the answer.',
    inputSchema: { json: schema as Record<string, never> },
  };
  if (format?.type === 'json_schema' && format.strict !== undefined) toolSpec.strict = format.strict;
  return { toolSpec };
}

/**
 * The `toolChoice` beside the forced `json` tool: that tool when the request has no tools, any tool
 * when it has tools the model may call (one of them, or `json` to answer), a named tool stays that tool.
 */
export function jsonAnswerToolChoice(request: ChatRequest): ToolChoice {
  const choice = request.toolChoice;
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  if (!hasTools) return { tool: { name: JSON_ANSWER_TOOL } };
  if (typeof choice === 'object') return { tool: { name: choice.name } };
  return { any: {} };
}

/**
 * `outputConfig`: `effort` (Bedrock's levels are low, medium, high, xhigh and max, so `minimal`
 * becomes `low`) and, for the `'output_config'` method, the `json_schema` as `textFormat` (whose
 * `schema` is JSON text).
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_OutputConfig.html
 */
export function outputConfigOf(
  request: ChatRequest,
  native: boolean,
): (OutputConfig & { effort?: string }) | undefined {
  const effort = request.reasoning?.effort;
  const format = request.responseFormat;
  const schema = native && format?.type === 'json_schema' ? format : undefined;
  if (effort === undefined && schema === undefined) return undefined;
  // `effort` is typed from @aws-sdk/client-bedrock-runtime 3.11xx on; older versions do not send it.
  const config: OutputConfig & { effort?: string } = {};
  if (effort !== undefined) config.effort = effort === 'minimal' ? 'low' : effort;
  if (schema !== undefined) {
    const jsonSchema = { schema: JSON.stringify(schema.schema), name: schema.name ?? 'answer' };
    config.textFormat = { type: 'json_schema', structure: { jsonSchema } };
  }
  return config;
}
