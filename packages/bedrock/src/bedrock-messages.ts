import type {
  Tool as BedrockTool,
  ConverseStreamCommandInput,
  InferenceConfiguration,
  ToolChoice,
} from '@aws-sdk/client-bedrock-runtime';
import type { ChatRequest } from '@tokenwire/core';
import { jsonInstruction } from '@tokenwire/core/internal';
import {
  type BedrockStructuredOutput,
  jsonAnswerMethodOf,
  jsonAnswerTool,
  jsonAnswerToolChoice,
  outputConfigOf,
} from './bedrock-json-answer.js';
import { toBedrockConversation } from './bedrock-turns.js';

/**
 * What `providerOptions.bedrock` accepts. `cachePoints` places prompt-caching checkpoints
 * (`cachePoint: { type: 'default' }`) after the system blocks, after the tools, and/or at the end
 * of the last message. Every other key is a ConverseStream parameter sent unchanged and unchecked,
 * and wins over the mapped ones (`additionalModelRequestFields`, `guardrailConfig`,
 * `performanceConfig`, `requestMetadata`, `serviceTier`, …).
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
export interface BedrockProviderOptions {
  cachePoints?: { system?: boolean; tools?: boolean; lastMessage?: boolean };
  [parameter: string]: unknown;
}

const CACHE_POINT = { cachePoint: { type: 'default' as const } };

/**
 * Maps a normalized, validated `ChatRequest` (that passed `checkBedrockRequest`) to ConverseStream
 * input: the conversation (see `toBedrockConversation`), tools and tool choice, `inferenceConfig`
 * (`maxTokens`, `temperature`, `topP`, `stop`), reasoning (`budgetTokens` → Claude's `thinking` in
 * `additionalModelRequestFields`, `effort` → `outputConfig.effort`) and a JSON answer
 * (`outputConfig.textFormat`, the forced `json` tool, or a JSON instruction after the caller's
 * system text: see `jsonAnswerMethodOf`). `providerOptions.bedrock` keys win.
 */
export function toConverseStreamInput(
  request: ChatRequest,
  structuredOutput: BedrockStructuredOutput,
): ConverseStreamCommandInput {
  const { cachePoints, ...passthrough } = (request.providerOptions?.bedrock ?? {}) as BedrockProviderOptions;
  const { system, messages } = toBedrockConversation(request.messages);
  if (cachePoints?.lastMessage) messages.at(-1)?.content?.push(CACHE_POINT);
  if (cachePoints?.system && system.length > 0) system.push(CACHE_POINT);
  const jsonAnswer = jsonAnswerMethodOf(request, structuredOutput);
  if (jsonAnswer === 'instructions') system.push({ text: jsonInstruction(request.responseFormat) ?? '' });

  const input: ConverseStreamCommandInput = { modelId: request.model, messages };
  if (system.length > 0) input.system = system;
  const tools = toolsOf(request.tools ?? []);
  const hasTools = tools.length > 0;
  if (cachePoints?.tools && hasTools) tools.push(CACHE_POINT);
  let toolChoice: ToolChoice | undefined;
  if (jsonAnswer === 'tool') {
    tools.push(jsonAnswerTool(request.responseFormat));
    toolChoice = jsonAnswerToolChoice(request);
  } else if (hasTools && request.toolChoice !== undefined) {
    toolChoice = toolChoiceOf(request.toolChoice);
  }
  if (tools.length > 0) input.toolConfig = toolChoice === undefined ? { tools } : { tools, toolChoice };
  const inferenceConfig = inferenceConfigOf(request);
  if (inferenceConfig !== undefined) input.inferenceConfig = inferenceConfig;
  const budget = request.reasoning?.budgetTokens;
  if (budget !== undefined && budget > 0) {
    // Claude's extended thinking; other models take their own fields through providerOptions.
    input.additionalModelRequestFields = { thinking: { type: 'enabled', budget_tokens: budget } };
  }
  const outputConfig = outputConfigOf(request, jsonAnswer === 'output_config');
  if (outputConfig !== undefined) input.outputConfig = outputConfig;
  return { ...input, ...passthrough } as ConverseStreamCommandInput;
}

function toolsOf(tools: NonNullable<ChatRequest['tools']>): BedrockTool[] {
  return tools.map((tool) => {
    const toolSpec: NonNullable<BedrockTool['toolSpec']> = {
      name: tool.name,
      inputSchema: { json: { type: 'object', ...tool.parameters } as never },
    };
    if (tool.description !== undefined) toolSpec.description = tool.description;
    if (tool.strict !== undefined) toolSpec.strict = tool.strict;
    return { toolSpec };
  });
}

// 'none' was refused before (Converse has no such choice).
function toolChoiceOf(choice: NonNullable<ChatRequest['toolChoice']>): ToolChoice | undefined {
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  if (choice === 'none') return undefined;
  return { tool: { name: choice.name } };
}

function inferenceConfigOf(request: ChatRequest): InferenceConfiguration | undefined {
  const config: InferenceConfiguration = {};
  if (request.maxTokens !== undefined) config.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  return Object.keys(config).length === 0 ? undefined : config;
}
