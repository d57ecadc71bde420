// The Node side's plan: which cases run in each runtime and what the replay server answers each
// with. The conformance scenarios come from @tokenwire/testing; the recorded fixtures are read from
// ../shared/fixtures at run time (never copied into the repository) and served from memory.
import { readdir } from 'node:fs/promises';
import {
  anthropicScenarios,
  bedrockScenarios,
  type ConformanceScenarios,
  createReplayServer,
  geminiScenarios,
  ollamaScenarios,
  openaiChatScenarios,
  openaiResponsesScenarios,
  type ReplayScript,
  type ReplayServer,
  readFixture,
  type StreamScenario,
} from '@tokenwire/testing';
import {
  fragmentsOf,
  STRUCTURED_ANSWER,
  STRUCTURED_SCHEMA,
} from '../../packages/testing/src/conformance-structured.js';
import { conformanceTools } from '../../packages/testing/src/scenarios/conversation.js';
import type { AdapterKind, RuntimeCase, StreamCase } from './entry/runtime-cases.js';

/** A case before it has a replay server: what to ask, and what the server answers. */
export interface PlannedCase {
  id: string;
  /** The case without its `id` and `baseURL`, which `serveCases` fills in. */
  spec: Omit<StreamCase, 'id' | 'baseURL'> | { kind: 'gateway' } | { kind: 'node-only' };
  scripts: ReplayScript[];
  /** For the scenario checks: what the finish must carry. */
  scenario?: ConformanceScenarios;
  expected?: StreamScenario['expected'];
  /** The expected end, for the fault cases. */
  fault?: 'truncated' | 'in-band-after-output' | 'retried' | 'authentication' | 'timeout' | 'cancelled';
  /** The answer is `STRUCTURED_ANSWER` as `finish.object`. */
  structured?: boolean;
  /** The replay server must see the client close the connection (cancel, timeout: invariant 6). */
  closesConnection?: boolean;
  /** No key of the `env` may show anywhere in the result. */
  noSecrets?: boolean;
}

/** The conformance scenarios of each adapter's wire. */
export const SCENARIOS: Readonly<Record<AdapterKind, ConformanceScenarios>> = {
  'openai-chat': openaiChatScenarios,
  'openai-responses': openaiResponsesScenarios,
  anthropic: anthropicScenarios,
  gemini: geminiScenarios,
  ollama: ollamaScenarios,
  bedrock: bedrockScenarios,
};

const withTools = { request: { tools: conformanceTools } };

/** A json_schema answer streamed in 3-character fragments, as the wire carries it for this provider. */
function structuredCases(scenarios: ConformanceScenarios): PlannedCase[] {
  const structured = scenarios.structuredOutput;
  if (structured === undefined || 'skip' in structured) return [];
  const format = { type: 'json_schema', name: 'weather', schema: STRUCTURED_SCHEMA } as const;
  const payloads = structured.answerPayloads(fragmentsOf(JSON.stringify(STRUCTURED_ANSWER)), format, 'stop');
  return [
    {
      id: 'structured answer (json_schema)',
      spec: { kind: 'stream', adapter: 'openai-chat', request: { responseFormat: format } },
      scripts: [{ payloads }],
      structured: true,
    },
  ];
}

function scenarioCases(adapter: AdapterKind): PlannedCase[] {
  const scenarios = SCENARIOS[adapter];
  const text = scenarios.text;
  const stream = (extra: Partial<StreamCase> = {}) => ({ kind: 'stream' as const, adapter, ...extra });
  const cases: PlannedCase[] = [
    { id: 'text', spec: stream(), scripts: [{ payloads: text.payloads }], expected: text.expected },
  ];
  const named: Array<[string, StreamScenario | { skip: string }, Partial<StreamCase>]> = [
    [
      'reasoning',
      scenarios.reasoning,
      { request: { reasoning: { effort: 'low', budgetTokens: 1024, includeThoughts: true } } },
    ],
    ['tool call', scenarios.toolCall, withTools],
    ['parallel tool calls', scenarios.parallelToolCalls, withTools],
    ['empty tool arguments', scenarios.emptyArgumentsToolCall, withTools],
    ['usage', scenarios.usage, withTools],
    ['unknown events', scenarios.unknownEvents, withTools],
  ];
  for (const [id, scenario, extra] of named) {
    if ('skip' in scenario) continue;
    cases.push({
      id,
      spec: stream(extra),
      scripts: [{ payloads: scenario.payloads }],
      expected: scenario.expected,
    });
  }
  const unicode = scenarios.unicode;
  cases.push(
    {
      id: 'unicode cut inside every character',
      spec: stream(withTools),
      scripts: [{ payloads: unicode.payloads, split: 'inside-characters' }],
      expected: unicode.expected,
    },
    {
      id: 'truncated',
      spec: stream(),
      scripts: [{ payloads: text.payloads, endAfter: text.cut.after }],
      fault: 'truncated',
    },
    {
      id: 'in-band error after output',
      spec: stream(),
      scripts: [{ payloads: text.payloads, inBandError: { after: text.cut.after } }],
      fault: 'in-band-after-output',
    },
    {
      id: 'HTTP 429 retried',
      spec: stream(),
      scripts: [{ status: 429, headers: { 'retry-after': '0' } }, { payloads: text.payloads }],
      fault: 'retried',
    },
    { id: 'HTTP 401', spec: stream(), scripts: [{ status: 401 }], fault: 'authentication' },
    {
      id: 'HTTP 401 echoing the credentials leaks none',
      spec: stream(),
      scripts: [{ status: 401, echoCredentials: true }],
      fault: 'authentication',
      noSecrets: true,
    },
    {
      id: 'cancel() at the first token',
      spec: stream({ cancelAtFirstToken: true }),
      scripts: [{ payloads: text.payloads, stallAfter: text.cut.after }],
      fault: 'cancelled',
      closesConnection: true,
    },
    {
      id: 'stalled stream times out',
      spec: stream({ request: { timeouts: { idleMs: 300 } } }),
      scripts: [{ payloads: text.payloads, stallAfter: text.cut.after }],
      fault: 'timeout',
      closesConnection: true,
    },
    ...structuredCases(scenarios),
  );
  return cases.map((planned) => ({
    ...planned,
    id: `${adapter} ${planned.id}`,
    scenario: scenarios,
    spec: { ...planned.spec, adapter } as PlannedCase['spec'],
  }));
}

const FIXTURE_ROOT = new URL('../../../shared/fixtures/', import.meta.url);

/** Each fixture folder and the adapter whose wire it was recorded on. */
const FIXTURE_FOLDERS: ReadonlyArray<[string, AdapterKind]> = [
  ['openai-chat/', 'openai-chat'],
  ['openai-chat-compatible/', 'openai-chat'],
  ['openai-responses/', 'openai-responses'],
  ['anthropic/', 'anthropic'],
  ['google/generate-content/', 'gemini'],
];

async function fixtureCases(): Promise<PlannedCase[]> {
  const cases: PlannedCase[] = [];
  for (const [folder, adapter] of FIXTURE_FOLDERS) {
    const names = (await readdir(new URL(folder, FIXTURE_ROOT))).filter((name) =>
      name.endsWith('.chunks.txt'),
    );
    for (const name of names.sort()) {
      // One recorded line is cut short (parallel-tool-call-wrapper.1): the rest replays.
      const payloads = await readFixture(new URL(folder + name, FIXTURE_ROOT), { skipInvalidLines: true });
      cases.push({
        id: `fixture ${folder}${name}`,
        spec: { kind: 'stream', adapter, request: { tools: conformanceTools }, configured: false },
        scripts: [{ payloads }, { payloads }],
      });
    }
  }
  return cases;
}

/** Every case the runtimes run: the scenarios of each wire, the fixtures, the gateway, Node's features. */
export async function planCases(options: { nodeOnly: boolean }): Promise<PlannedCase[]> {
  const adapters = Object.keys(SCENARIOS) as AdapterKind[];
  const configured: PlannedCase = {
    id: 'openai-chat text, configured from settings with env',
    spec: { kind: 'stream', adapter: 'openai-chat', configured: true },
    scripts: [{ payloads: openaiChatScenarios.text.payloads }],
    expected: openaiChatScenarios.text.expected,
  };
  const overSSE: PlannedCase[] = (['openai-chat', 'anthropic'] as const).map((adapter) => ({
    id: `${adapter} tool call through toSSE and parseSSE`,
    spec: { kind: 'stream', adapter, sse: true, request: { tools: conformanceTools } },
    scripts: [{ payloads: (SCENARIOS[adapter].toolCall as StreamScenario).payloads }],
    expected: (SCENARIOS[adapter].toolCall as StreamScenario).expected,
  }));
  const overUIStream: PlannedCase[] = (['openai-chat', 'anthropic'] as const).map((adapter) => ({
    id: `${adapter} tool call through toUIMessageStream`,
    spec: { kind: 'stream', adapter, uiStream: true, request: { tools: conformanceTools } },
    scripts: [{ payloads: (SCENARIOS[adapter].toolCall as StreamScenario).payloads }],
    expected: (SCENARIOS[adapter].toolCall as StreamScenario).expected,
  }));
  const gateway: PlannedCase = {
    id: 'gateway fetch streams a chat completion',
    spec: { kind: 'gateway' },
    scripts: [{ payloads: openaiChatScenarios.text.payloads }],
  };
  const nodeOnly: PlannedCase[] = options.nodeOnly
    ? [{ id: 'gateway.listen() names the runtime', spec: { kind: 'node-only' }, scripts: [] }]
    : [];
  return [
    ...adapters.flatMap(scenarioCases),
    configured,
    ...overUIStream,
    ...overSSE,
    ...(await fixtureCases()),
    gateway,
    ...nodeOnly,
  ];
}

/** The cases with a replay server each (its scripts queued), and a way to close them all. */
export async function serveCases(
  planned: readonly PlannedCase[],
): Promise<{ cases: RuntimeCase[]; servers: ReplayServer[]; close(): Promise<void> }> {
  const servers = await Promise.all(planned.map(() => createReplayServer()));
  const cases = planned.map((entry, index): RuntimeCase => {
    const server = servers[index] as ReplayServer;
    server.enqueue(...entry.scripts);
    return { ...entry.spec, id: entry.id, baseURL: server.url } as RuntimeCase;
  });
  return {
    cases,
    servers,
    close: async () => void (await Promise.all(servers.map((server) => server.close()))),
  };
}
