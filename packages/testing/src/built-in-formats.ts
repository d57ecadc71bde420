/** The wire formats the replay server always serves beside the five vendor protocols. */
import { bedrockConverseWire, bedrockInvokeWire } from './aws-wire-formats.js';
import type { CustomWireFormat } from './wire-format.js';
import { encodeInBandError, encodeRecord, errorBody, keepAliveRecord } from './wire-formats.js';

/**
 * Vertex AI's Claude endpoint, `…/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:streamRawPredict`,
 * as `@anthropic-ai/vertex-sdk` calls it: the Anthropic Messages SSE wire at another path.
 * @see https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude
 */
export const vertexAnthropicWire: CustomWireFormat = {
  name: 'vertex-anthropic',
  path: /\/projects\/[^/]+\/locations\/[^/]+\/publishers\/anthropic\/models\/[^/]+:streamRawPredict$/,
  encodeRecord: (payload) => encodeRecord('anthropic', payload),
  encodeInBandError: (options) => encodeInBandError('anthropic', options),
  errorBody: (status, message) => errorBody('anthropic', status, message),
  keepAliveRecord: keepAliveRecord('anthropic'),
  emptyPayload: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '' } },
};

/** The wire formats the replay server always serves beside the five vendor protocols. */
export const BUILT_IN_FORMATS: readonly CustomWireFormat[] = [
  bedrockConverseWire,
  bedrockInvokeWire,
  vertexAnthropicWire,
];
