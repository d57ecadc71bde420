// What every contender shares: the prompt, the tool it declares on tool workloads, and the
// counts a consumer keeps (the pieces of output it saw, checked against the workload).

export const PROMPT = 'Write a long story about a fox.';

export const TOOL = {
  name: 'write_note',
  description: 'Writes a note.',
  parameters: {
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
    additionalProperties: false,
  },
};

export const newCounts = () => ({ text: 0, reasoning: 0, tool: 0 });

export { STRUCTURED_SCHEMA } from '../payloads.mjs';
