// The workloads of the side-by-side benchmarks. Each one is a vendor stream (built by payloads.mjs)
// that the replay process serves, the deltas a consumer must see, and who competes on it.
import {
  anthropicReasoning,
  anthropicText,
  anthropicTool,
  geminiText,
  ollamaText,
  openaiStructured,
  openaiText,
  openaiTool,
} from './payloads.mjs';
import { BEDROCK_WORKLOADS } from './workloads-bedrock.mjs';

export const CONTENDERS = ['raw', 'tokenwire', 'vercel', 'langchain'];
/**
 * Contenders only some workloads list: tokenwire with @tokenwire/otel's tracing hooks on, tokenwire
 * with `transport: 'sdk'` (`tokenwire` itself runs the default, `'direct'`), and the floor (fetch
 * plus the plainest parser, no SDK, no normalization).
 */
export const EXTRA_CONTENDERS = ['tokenwire-otel', 'tokenwire-sdk', 'floor'];

/**
 * `provider` picks the SDK setup in contenders/*.mjs; `protocol` is the wire format the replay
 * process checks the request path against; `expected` is what one stream must deliver to the
 * consumer (text deltas, reasoning deltas, tool-argument fragments); `deltas` is the divisor of
 * the per-delta figures; `streams` run concurrently (with `warmupStreams` in the warm-up), and
 * rounds of them are repeated one after the other (`warmupRounds`, `rounds`, computed below).
 */
export const WORKLOADS = [
  {
    id: 'text-openai',
    title: 'text, OpenAI chat',
    provider: 'openai',
    protocol: 'openai-chat',
    build: () => openaiText(20_000),
    expected: { text: 20_000 },
    // With @tokenwire/otel's hooks on: tracing must cost within 5% of tokenwire without it.
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'tokenwire-otel', 'vercel', 'langchain'],
  },
  {
    id: 'text-anthropic',
    title: 'text, Anthropic',
    provider: 'anthropic',
    protocol: 'anthropic',
    build: () => anthropicText(20_000),
    expected: { text: 20_000 },
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'vercel', 'langchain'],
  },
  {
    id: 'text-gemini',
    title: 'text, Gemini (@google/genai)',
    provider: 'google',
    protocol: 'gemini',
    build: () => geminiText(20_000),
    expected: { text: 20_000 },
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'vercel', 'langchain'],
  },
  {
    id: 'text-gemini-legacy',
    title: 'text, Gemini (@google/generative-ai)',
    provider: 'google-legacy',
    protocol: 'gemini',
    build: () => geminiText(20_000),
    expected: { text: 20_000 },
    // The Vercel and LangChain contenders are the same as on text-gemini.
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor'],
  },
  {
    id: 'text-ollama',
    title: 'text, Ollama',
    provider: 'ollama',
    protocol: 'ollama',
    build: () => ollamaText(20_000),
    expected: { text: 20_000 },
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'vercel', 'langchain'],
  },
  {
    id: 'tool-openai',
    title: 'tool call, 5,000 argument fragments, OpenAI chat',
    provider: 'openai',
    protocol: 'openai-chat',
    tool: true,
    build: () => openaiTool(5_000),
    expected: { tool: 5_000 },
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'vercel', 'langchain'],
  },
  {
    id: 'tool-anthropic',
    title: 'tool call, 5,000 argument fragments, Anthropic',
    provider: 'anthropic',
    protocol: 'anthropic',
    tool: true,
    build: () => anthropicTool(5_000),
    expected: { tool: 5_000 },
    // With @tokenwire/otel's hooks on: tracing must cost within 5% of tokenwire without it.
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'tokenwire-otel', 'vercel', 'langchain'],
  },
  {
    // The same bytes as tool-openai; tokenwire reads `partialInput` on every chunk.
    id: 'tool-openai-partial',
    title: 'tool call, 5,000 argument fragments, partial input read on every chunk, OpenAI chat',
    provider: 'openai',
    protocol: 'openai-chat',
    tool: true,
    readPartial: true,
    build: () => openaiTool(5_000),
    expected: { tool: 5_000 },
    contenders: ['raw', 'tokenwire'],
  },
  {
    id: 'tool-anthropic-partial',
    title: 'tool call, 5,000 argument fragments, partial input read on every chunk, Anthropic',
    provider: 'anthropic',
    protocol: 'anthropic',
    tool: true,
    readPartial: true,
    build: () => anthropicTool(5_000),
    expected: { tool: 5_000 },
    contenders: ['raw', 'tokenwire'],
  },
  {
    // A JSON answer (payloads.mjs STRUCTURED_SCHEMA) in 8-character fragments. tokenwire and the
    // Vercel AI SDK (streamObject) parse the partial object on every delta; raw only counts.
    id: 'structured-openai',
    title: 'JSON answer, 5,000 fragments (40 KB), partial object on every delta, OpenAI chat',
    provider: 'openai',
    protocol: 'openai-chat',
    structured: true,
    build: () => openaiStructured(5_000),
    expected: { text: 5_000 },
    contenders: ['raw', 'tokenwire', 'vercel'],
  },
  {
    // Ten times the answer. The Vercel AI SDK re-parses the whole text on every delta (quadratic):
    // one 400 KB stream would take it minutes, so it runs on the 40 KB workload only.
    id: 'structured-openai-large',
    title: 'JSON answer, 50,000 fragments (400 KB), partial object on every delta, OpenAI chat',
    provider: 'openai',
    protocol: 'openai-chat',
    structured: true,
    build: () => openaiStructured(50_000),
    expected: { text: 50_000 },
    contenders: ['raw', 'tokenwire'],
  },
  {
    id: 'reasoning-anthropic',
    title: 'reasoning (10,000) then text (10,000), Anthropic',
    provider: 'anthropic',
    protocol: 'anthropic',
    build: () => anthropicReasoning(10_000, 10_000),
    expected: { reasoning: 10_000, text: 10_000 },
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'vercel', 'langchain'],
  },
  {
    id: 'concurrent-openai',
    title: '500 concurrent streams × 2,000 deltas, OpenAI chat',
    provider: 'openai',
    protocol: 'openai-chat',
    build: () => openaiText(2_000),
    expected: { text: 2_000 },
    streams: 500,
    warmupStreams: 50,
    contenders: ['raw', 'tokenwire', 'tokenwire-sdk', 'floor', 'vercel', 'langchain'],
  },
  ...BEDROCK_WORKLOADS,
];

// Every run warms up before it measures: rounds of the workload until 200,000 deltas went through
// or 1.5 s passed (a slow contender gets fewer deltas, never less than one round). V8 needs that
// long to reach steady state for the SDK's parser and the layers above it: after only 40,000
// deltas the raw openai loop still costs 1.5x its steady state. Short workloads are then repeated
// so that at least 20,000 deltas are measured (one 5,000-fragment tool stream is too short).
const WARMUP_DELTAS = Number(process.env.BENCH_WARMUP_DELTAS ?? 200_000);
export const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1_500);
const MEASURED_DELTAS = 20_000;

for (const workload of WORKLOADS) {
  workload.streams ??= 1;
  workload.warmupStreams ??= 1;
  workload.contenders ??= CONTENDERS;
  workload.deltas = Object.values(workload.expected).reduce((sum, count) => sum + count, 0);
  /** At most this many warm-up rounds (fewer when WARMUP_MS runs out first). */
  workload.warmupRounds = Math.ceil(WARMUP_DELTAS / (workload.deltas * workload.warmupStreams));
  workload.rounds = Math.ceil(MEASURED_DELTAS / (workload.deltas * workload.streams));
  /** Deltas one measured run delivers: the divisor of every per-delta figure. */
  workload.measuredDeltas = workload.deltas * workload.streams * workload.rounds;
  /** Responses the replay server must queue for one client process (unused ones are dropped). */
  workload.responses = workload.warmupRounds * workload.warmupStreams + workload.rounds * workload.streams;
  /** Rounds of the measured part profiled with --cpu-prof: about 200,000 deltas. */
  workload.profileRounds = Math.max(
    1,
    Math.round((10 * MEASURED_DELTAS) / (workload.deltas * workload.streams)),
  );
}

export function workloadById(id) {
  const workload = WORKLOADS.find((candidate) => candidate.id === id);
  if (workload === undefined) throw new Error(`unknown workload '${id}'`);
  return workload;
}

/** The workloads a `--workload` filter names: ids, or prefixes such as `text` (comma-separated). */
export function selectWorkloads(filter) {
  if (filter === undefined) return WORKLOADS;
  const names = filter.split(',');
  const selected = WORKLOADS.filter((workload) =>
    names.some((name) => workload.id === name || workload.id.startsWith(`${name}-`)),
  );
  if (selected.length === 0) throw new Error(`no workload matches '${filter}'`);
  return selected;
}
