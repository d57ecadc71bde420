import { bedrockInvokeWire } from '../aws-wire-formats.js';
import { vertexAnthropicWire } from '../built-in-formats.js';
import { anthropicScenarios, validateAnthropicRequest } from './anthropic.js';
import { isText } from './request-checks.js';
import type { ConformanceScenarios } from './scenario-types.js';

/**
 * Problems with a Messages request body as Bedrock and Vertex take it: the model is in the path,
 * not the body; there is no `stream` field (the path says it streams); `anthropic_version` is in
 * the body. The rest is the Messages API's (see `validateAnthropicRequest`).
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
 */
function validateCloudRequest(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['body: not a JSON object'];
  const fields = body as Record<string, unknown>;
  const problems: string[] = [];
  if (!isText(fields.anthropic_version)) problems.push('anthropic_version: missing from the body');
  if ('model' in fields) problems.push('model: belongs in the path, not the body');
  return [...problems, ...validateAnthropicRequest({ ...fields, model: 'from-the-path', stream: true })];
}

/**
 * The Anthropic scenarios on Bedrock's InvokeModelWithResponseStream (`@anthropic-ai/bedrock-sdk`'s
 * `AnthropicBedrock`): the same events, each in an AWS event-stream `chunk` frame; in-band errors
 * are AWS exception frames (`modelStreamErrorException`, retryable).
 */
export const anthropicBedrockScenarios: ConformanceScenarios = {
  ...anthropicScenarios,
  protocol: bedrockInvokeWire,
  validateRequest: validateCloudRequest,
};

/** The Anthropic scenarios on Vertex AI's `streamRawPredict` (`@anthropic-ai/vertex-sdk`'s `AnthropicVertex`). */
export const anthropicVertexScenarios: ConformanceScenarios = {
  ...anthropicScenarios,
  protocol: vertexAnthropicWire,
  validateRequest: validateCloudRequest,
};
