import type {
  Tool as AnthropicTool,
  ToolChoice as AnthropicToolChoice,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest, TokenwireError } from '@tokenwire/core';
import { forcedToolAnswerProblem, JSON_ANSWER_TOOL, jsonInstruction } from '@tokenwire/core/internal';

/**
 * How a `json_schema` answer is asked of Anthropic (the adapter's `structuredOutput` setting):
 * `'native'` as `output_config.format`, `'tool'` as the input schema of a forced tool.
 */
export type AnthropicStructuredOutput = 'native' | 'tool';

/** The name of the forced tool whose input is the answer (core's, shared with the other tool-mode adapters). */
export { JSON_ANSWER_TOOL };

/**
 * How a request's JSON answer is asked for:
 * - `'output_format'`: `json_schema` with `structuredOutput: 'native'`, sent as `output_config.format`;
 * - `'tool'`: `{ type: 'json' }` (Anthropic has no schema-less JSON mode), or `json_schema` with
 *   `structuredOutput: 'tool'`: a tool named `json` whose input schema is the schema, forced by
 *   `tool_choice`; its input streams back as the answer's text;
 * - `'instructions'`: the same, but with extended thinking on, where Anthropic refuses forced tool
 *   use: no tool, the caller's tool choice, and core's JSON instruction as a last system block.
 */
export type JsonAnswerMethod = 'output_format' | 'tool' | 'instructions';

/** The method of the request's JSON answer, or undefined for a text answer. */
export function jsonAnswerMethodOf(
  request: ChatRequest,
  structuredOutput: AnthropicStructuredOutput = 'native',
): JsonAnswerMethod | undefined {
  const format = request.responseFormat;
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_schema' && structuredOutput === 'native') return 'output_format';
  return thinkingIsOn(request) ? 'instructions' : 'tool';
}

/** The `invalid_request` error of a JSON answer the forced tool cannot carry (core's check), or undefined. */
export function jsonAnswerProblem(
  request: ChatRequest,
  structuredOutput: AnthropicStructuredOutput,
  provider: string,
): TokenwireError | undefined {
  if (jsonAnswerMethodOf(request, structuredOutput) !== 'tool') return undefined;
  return forcedToolAnswerProblem(request, { provider, vendor: 'Anthropic', native: 'output_config.format' });
}

/** The forced tool whose input is the answer: `{ type: 'object' }` for `{ type: 'json' }`, else the schema. */
export function jsonAnswerTool(format: ChatRequest['responseFormat']): AnthropicTool {
  const tool: AnthropicTool = {
    name: JSON_ANSWER_TOOL,
    description: 'Answer with this tool: its input is the answer.',
    input_schema:
      format?.type === 'json_schema' ? (format.schema as AnthropicTool.InputSchema) : { type: 'object' },
  };
  // Anthropic's strict tool use holds the input to the schema, as `strict` asks.
  if (format?.type === 'json_schema' && format.strict !== undefined) tool.strict = format.strict;
  return tool;
}

/**
 * The `tool_choice` beside the forced `json` tool: that tool when the request has no tools or
 * `toolChoice: 'none'` (its tools are still declared, for the history); any tool when it has tools
 * the model may call (`'auto'`, `'required'` or none given): one of them, or `json` to answer; a
 * named tool stays that tool.
 */
export function jsonAnswerToolChoice(request: ChatRequest): AnthropicToolChoice {
  const choice = request.toolChoice;
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  if (!hasTools || choice === 'none') return { type: 'tool', name: JSON_ANSWER_TOOL };
  if (typeof choice === 'object') return { type: 'tool', name: choice.name };
  return { type: 'any' };
}

/** Core's JSON instruction as a system block, for the `'instructions'` method. */
export function jsonInstructionBlock(format: ChatRequest['responseFormat']): TextBlockParam {
  return { type: 'text', text: jsonInstruction(format) ?? '' };
}

/**
 * Extended thinking is on: a budget, or a `thinking` body parameter in `providerOptions.anthropic`
 * (which wins over the budget when sent) of type `enabled` or `adaptive`. Anthropic then takes
 * `tool_choice` `auto` or `none` only.
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 */
function thinkingIsOn(request: ChatRequest): boolean {
  const passed = (request.providerOptions?.anthropic as { thinking?: { type?: unknown } } | undefined)
    ?.thinking;
  if (typeof passed === 'object' && passed !== null && typeof passed.type === 'string') {
    return passed.type === 'enabled' || passed.type === 'adaptive';
  }
  return (request.reasoning?.budgetTokens ?? 0) > 0;
}
