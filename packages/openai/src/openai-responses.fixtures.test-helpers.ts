import type { FinishReason, TokenwireErrorCode, ToolCall, Usage } from '@tokenwire/core';

/** What one response of a recorded Responses API stream must produce, written out by hand. */
export type ResponseExpectation =
  | {
      outcome: 'finish';
      responseId: string;
      model: string;
      reason: FinishReason;
      rawReason: string;
      contentLength: number;
      reasoningLength: number;
      toolCalls: ToolCall[];
      usage: Usage;
    }
  | { outcome: 'error'; code: TokenwireErrorCode; retryable: boolean; toolCalls: ToolCall[] };

/** A recorded file: its defective lines (left out) and one expectation per response it holds. */
export interface ResponsesFixtureExpectation {
  unparsableLines: number[];
  responses: ResponseExpectation[];
}

function usage(
  inputTokens: number,
  cachedInputTokens: number,
  outputTokens: number,
  reasoningTokens: number,
  extra: Partial<Usage> = {},
): Usage {
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cachedInputTokens,
    reasoningTokens,
    estimated: false,
    ...extra,
  };
}

function text(
  responseId: string,
  model: string,
  contentLength: number,
  responseUsage: Usage,
  reasoningLength = 0,
): ResponseExpectation {
  return {
    outcome: 'finish',
    responseId,
    model,
    reason: 'stop',
    rawReason: 'completed',
    contentLength,
    reasoningLength,
    toolCalls: [],
    usage: responseUsage,
  };
}

function toolCall(
  responseId: string,
  model: string,
  call: ToolCall,
  responseUsage: Usage,
  reasoningLength = 0,
): ResponseExpectation {
  return {
    outcome: 'finish',
    responseId,
    model,
    reason: 'tool_calls',
    rawReason: 'completed',
    contentLength: 0,
    reasoningLength,
    toolCalls: [call],
    usage: responseUsage,
  };
}

/** A caller-run built-in call as it completes: the JSON of the item's input, in the item's key order. */
function builtInCall(id: string, name: string, input: Record<string, unknown>): ToolCall {
  return { id, name, arguments: JSON.stringify(input), input };
}

const weatherArguments = '{"location":"San Francisco, CA","unit":"fahrenheit"}';
const weatherInput = { location: 'San Francisco, CA', unit: 'fahrenheit' };
const parallelArguments =
  '{"tool_uses":[{"recipient_name":"functions.weather","parameters":{"location":"San Francisco"}},' +
  '{"recipient_name":"functions.cityAttractions","parameters":{"city":"Rome"}}]}';

/** Expected results of every fixture under openai-responses/. */
export const RESPONSES_FIXTURE_EXPECTATIONS: Record<string, ResponsesFixtureExpectation> = {
  'openai-apply-patch-tool.1.chunks.txt': {
    unparsableLines: [],
    // The caller applies the patch: the call surfaces whole (its diff streams as raw text), as
    // `apply_patch` with the item's operation as arguments.
    responses: [
      toolCall(
        'resp_0372d86dfc1762fe00692741f339a08190bce9b78ee2079295',
        'gpt-5.1-2025-11-13',
        builtInCall('call_kA46f91ZwocQyMCKyyZqRyC5', 'apply_patch', {
          type: 'create_file',
          diff: '+## Shopping Checklist\n+\n+- [ ] Milk\n+- [ ] Bread\n+- [ ] Eggs\n+- [ ] Fresh fruit\n+- [ ] Coffee\n',
          path: 'shopping-checklist.md',
        }),
        usage(642, 0, 67, 0),
      ),
    ],
  },
  'openai-client-tool-search.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      text(
        'resp_05147bbe356953b60069ab67352c908196a63357757792b203',
        'gpt-5.4-2026-03-05',
        0,
        usage(65, 0, 31, 0),
      ),
    ],
  },
  'openai-client-tool-search.2.chunks.txt': {
    unparsableLines: [],
    responses: [
      toolCall(
        'resp_05147bbe356953b60069ab6736cddc8196933842ce635db83f',
        'gpt-5.4-2026-03-05',
        {
          id: 'call_Q7pq6EfVGRnauPLWSSYBGJ1l',
          name: 'get_weather',
          arguments: weatherArguments,
          input: weatherInput,
        },
        usage(467, 0, 26, 0),
      ),
    ],
  },
  'openai-code-interpreter-tool.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      text(
        'resp_68c2e6efa238819383d5f52a2c2a3baa02d3a5742c7ddae9',
        'gpt-5-nano-2025-08-07',
        596,
        usage(6047, 2944, 1623, 1408),
      ),
    ],
  },
  'openai-custom-tool.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      // A custom tool the request declared (`write_sql`): the caller's. Free-form input is not
      // JSON: the call completes with inputError, the stream goes on.
      toolCall(
        'resp_custom_tool_test_001',
        'gpt-5.2-codex',
        { id: 'call_custom_sql_001', name: 'write_sql', arguments: 'SELECT * FROM users WHERE age > 25' },
        usage(50, 0, 20, 0),
      ),
    ],
  },
  'openai-error.1.chunks.txt': {
    unparsableLines: [],
    responses: [{ outcome: 'error', code: 'quota_exceeded', retryable: false, toolCalls: [] }],
  },
  'openai-file-search-tool.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      text(
        'resp_0459517ad68504ad0068cabfba22b88192836339640e9a765a',
        'gpt-5-mini-2025-08-07',
        383,
        usage(3737, 2304, 621, 512),
      ),
    ],
  },
  'openai-image-generation-tool.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      text(
        'resp_0df93c0bb83a72f20068c979db26ac819e8b5a444fad3f0d7f',
        'gpt-5-2025-08-07',
        0,
        usage(2941, 1920, 1249, 1024),
      ),
    ],
  },
  'openai-local-shell-tool.1.chunks.txt': {
    unparsableLines: [],
    // The caller runs the command: `local_shell` with the item's action as arguments.
    responses: [
      toolCall(
        'resp_68da7fd5d24481949fc2cf1cc60377050faf5df54b42d9a6',
        'gpt-5-codex',
        builtInCall('call_h3nm8hUG0KO9tVNuRACkL1ri', 'local_shell', {
          type: 'exec',
          command: ['ls', '-a', '~'],
          env: {},
        }),
        usage(407, 0, 151, 128),
      ),
    ],
  },
  'openai-mcp-tool-approval.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      text(
        'resp_04a97b4fce127879006949a837a3a48195b37f26ae73f550c0',
        'gpt-5-mini-2025-08-07',
        0,
        usage(422, 0, 48, 0),
      ),
    ],
  },
  'openai-mcp-tool-approval.4.chunks.txt': {
    unparsableLines: [],
    responses: [
      text(
        'resp_04a97b4fce127879006949a87ab0cc8195b3175edc260d6a88',
        'gpt-5-mini-2025-08-07',
        221,
        usage(779, 0, 69, 0),
      ),
    ],
  },
  'openai-phase.1.chunks.txt': {
    unparsableLines: [],
    // Two message items ('Got it', then the answer), joined by a blank line: 25 + 2 characters.
    responses: [
      text(
        'resp_0a63f40a2632b74300699f8818e5648196a8fa657ae8091421',
        'gpt-5.3-codex',
        27,
        usage(7112, 3072, 463, 64),
      ),
    ],
  },
  'openai-reasoning-encrypted-content.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      toolCall(
        'resp_01830d662ab3856501693c321345c88190b0de00f3b9975691',
        'gpt-5.1-codex-max',
        {
          id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn',
          name: 'calculator',
          arguments: '{"a":12,"b":7,"op":"add"}',
          input: { a: 12, b: 7, op: 'add' },
        },
        usage(134, 0, 28, 0),
        163,
      ),
      toolCall(
        'resp_01830d662ab3856501693c3215903881909b710d150ff65014',
        'gpt-5.1-codex-max',
        {
          id: 'call_Q6pW65MUgW9vF59BmItYGos3',
          name: 'calculator',
          arguments: '{"a":19,"b":3,"op":"multiply"}',
          input: { a: 19, b: 3, op: 'multiply' },
        },
        usage(221, 0, 26, 0),
      ),
      toolCall(
        'resp_01830d662ab3856501693c3216bef88190bf0e034cff24137b',
        'gpt-5.1-codex-max',
        {
          id: 'call_Zl5vIMnD7dVAjgU6FkhmiCZh',
          name: 'calculator',
          arguments: '{"a":57,"b":10,"op":"multiply"}',
          input: { a: 57, b: 10, op: 'multiply' },
        },
        usage(260, 0, 26, 0),
      ),
      text(
        'resp_01830d662ab3856501693c3217ba4c8190a3ddf6c839d4f12a',
        'gpt-5.1-codex-max',
        28,
        usage(299, 0, 12, 0),
      ),
    ],
  },
  'openai-shell-tool.1.chunks.txt': {
    unparsableLines: [],
    // A local shell (no hosted container): the caller runs the commands, then the answer.
    responses: [
      toolCall(
        'resp_0434d6d64b12b08900692f639c40408195a50fd07b77ce08a7',
        'gpt-5.1-2025-11-13',
        builtInCall('call_pbxjNs1tMJUahLZKAS9qLtvw', 'shell', {
          commands: ['ls -a ~/Desktop'],
          max_output_length: 8912,
          timeout_ms: null,
        }),
        usage(145, 0, 41, 0),
      ),
      text(
        'resp_0434d6d64b12b08900692f639d784481959af65f985b9c13e2',
        'gpt-5.1-2025-11-13',
        426,
        usage(331, 0, 166, 0),
      ),
    ],
  },
  'openai-tool-search.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      toolCall(
        'resp_08a14073c7135dc10069aa68621de481908b2fc660fb4fc0af',
        'gpt-5.4-2026-03-05',
        {
          id: 'call_pddfxhfOx4gY56zn4vIIEbFp',
          name: 'get_weather',
          arguments: weatherArguments,
          input: weatherInput,
        },
        usage(640, 0, 46, 20),
      ),
    ],
  },
  'openai-web-search-tool.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      text(
        'resp_0cc96ac817fdc57e00693337060a408198b92bf1f99cf1b8ec',
        'gpt-5-mini-2025-08-07',
        3645,
        usage(31073, 3712, 4416, 3712),
      ),
    ],
  },
  'parallel-tool-call-wrapper.1.chunks.txt': {
    // Lines 1 (response.created) and 6 (response.completed) lack their final `}` upstream, so the
    // replayed stream has no terminal event: the runtime reports it truncated, keeping the call.
    unparsableLines: [1, 6],
    responses: [
      {
        outcome: 'error',
        code: 'invalid_response',
        retryable: false,
        toolCalls: [
          {
            id: 'call_parallel',
            name: 'parallel',
            arguments: parallelArguments,
            input: JSON.parse(parallelArguments) as unknown,
          },
        ],
      },
    ],
  },
  'programmatic-tool-calling.1.chunks.txt': {
    unparsableLines: [],
    responses: [
      toolCall(
        'resp_0bac52ec5f239d30016a6145ff09a4819291ced3bf727cda6b',
        'gpt-5.6-sol',
        {
          id: 'call_VgDSZztLociNcutQZWkC2fmL',
          name: 'getInventory',
          arguments: '{"sku":"sku_123"}',
          input: { sku: 'sku_123' },
        },
        usage(631, 0, 87, 37, { cacheWriteTokens: 0 }),
      ),
    ],
  },
};

/**
 * The text and reasoning of one recorded response, read straight from the payloads (independent
 * of the translator): `output_text` deltas grouped by item and reasoning deltas grouped by part,
 * the groups joined by a blank line.
 */
export function expectedTexts(payloads: unknown[]): { content: string; reasoning: string } {
  const content = new Map<string, string>();
  const reasoning = new Map<string, string>();
  for (const payload of payloads) {
    const event = payload as { type?: string; item_id?: string; summary_index?: number; delta?: string };
    if (event.type === 'response.output_text.delta' || event.type === 'response.refusal.delta') {
      const key = String(event.item_id);
      content.set(key, (content.get(key) ?? '') + event.delta);
    } else if (
      event.type === 'response.reasoning_summary_text.delta' ||
      event.type === 'response.reasoning_text.delta'
    ) {
      const key = `${event.item_id}/${event.summary_index ?? 'text'}`;
      reasoning.set(key, (reasoning.get(key) ?? '') + event.delta);
    }
  }
  const join = (groups: Map<string, string>) =>
    [...groups.values()].filter((group) => group !== '').join('\n\n');
  return { content: join(content), reasoning: join(reasoning) };
}
