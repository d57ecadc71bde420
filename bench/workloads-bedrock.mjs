// The Bedrock workloads (ConverseStream, AWS event-stream frames): the same shapes as the
// Anthropic ones, served by the replay process with @tokenwire/testing's bedrockConverseWire.
// Their contenders are the modules of contenders/bedrock/ (raw @aws-sdk/client-bedrock-runtime,
// tokenwire on both transports, @ai-sdk/amazon-bedrock), named like the others so the report compares them the same way.
import { bedrockConverseWire } from '@tokenwire/testing';
import { argumentFragments } from './payloads.mjs';

const WORDS = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' lazy', ' dog', ' and', ' runs'];
// Bedrock pads every event with a `p` field of random length (to hide token sizes); a fixed one here.
const PADDING = 'abcdefghijklmnopqrstu';

function end(stopReason, outputTokens) {
  return [
    { messageStop: { stopReason, p: PADDING } },
    {
      metadata: {
        usage: { inputTokens: 12, outputTokens, totalTokens: 12 + outputTokens },
        metrics: { latencyMs: 900 },
        p: PADDING,
      },
    },
  ];
}

/** `count` text deltas of one word each. */
export function bedrockText(count) {
  const payloads = [{ messageStart: { role: 'assistant', p: PADDING } }];
  for (let index = 0; index < count; index++) {
    payloads.push({
      contentBlockDelta: { contentBlockIndex: 0, delta: { text: WORDS[index % WORDS.length] }, p: PADDING },
    });
  }
  payloads.push({ contentBlockStop: { contentBlockIndex: 0, p: PADDING } }, ...end('end_turn', count));
  return payloads;
}

/** One tool use whose input arrives in `count` fragments. */
export function bedrockTool(count) {
  const payloads = [
    { messageStart: { role: 'assistant', p: PADDING } },
    {
      contentBlockStart: {
        contentBlockIndex: 0,
        start: { toolUse: { toolUseId: 'tooluse_bench_1', name: 'write_note' } },
        p: PADDING,
      },
    },
  ];
  for (const input of argumentFragments(count)) {
    payloads.push({ contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input } }, p: PADDING } });
  }
  payloads.push({ contentBlockStop: { contentBlockIndex: 0, p: PADDING } }, ...end('tool_use', count));
  return payloads;
}

const common = {
  provider: 'bedrock',
  protocol: bedrockConverseWire.name,
  wire: bedrockConverseWire,
  contenderDirectory: 'bedrock',
  contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'vercel'],
};

export const BEDROCK_WORKLOADS = [
  {
    id: 'bedrock-text',
    title: 'text, Bedrock ConverseStream',
    ...common,
    build: () => bedrockText(20_000),
    expected: { text: 20_000 },
  },
  {
    id: 'bedrock-tool',
    title: 'tool call, 5,000 argument fragments, Bedrock ConverseStream',
    ...common,
    tool: true,
    build: () => bedrockTool(5_000),
    expected: { tool: 5_000 },
  },
];
