// Vendor stream payloads for the side-by-side benchmarks: one JSON object per SSE record / NDJSON
// line, in each vendor's real envelope (shapes copied from ../shared/fixtures recordings).
// Pure functions; the replay process frames them with @tokenwire/testing's encodeRecord.

const WORDS = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' lazy', ' dog', ' and', ' runs'];
const word = (index) => WORDS[index % WORDS.length];

/** The fragments of one tool call's JSON arguments: `{"text":"` + words + `"}`, `count` in all. */
export function argumentFragments(count) {
  const fragments = ['{"text":"'];
  for (let index = 1; index < count - 1; index++) fragments.push(`word${index % 10} `);
  fragments.push('"}');
  return fragments;
}

// ---------- OpenAI Chat Completions ----------

const OPENAI_ENVELOPE = {
  id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
  object: 'chat.completion.chunk',
  created: 1770933892,
  model: 'gpt-4.1-nano-2025-04-14',
  service_tier: 'default',
  system_fingerprint: 'fp_de604bd877',
};

const openaiChunk = (delta, finishReason = null) => ({
  ...OPENAI_ENVELOPE,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  usage: null,
  obfuscation: 'yhjoJbEF',
});

const openaiUsage = (completionTokens) => ({
  ...OPENAI_ENVELOPE,
  choices: [],
  usage: {
    prompt_tokens: 16,
    completion_tokens: completionTokens,
    total_tokens: 16 + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  },
  obfuscation: 'h9RiQLL',
});

export function openaiText(count) {
  const payloads = [openaiChunk({ role: 'assistant', content: '', refusal: null })];
  for (let index = 0; index < count; index++) payloads.push(openaiChunk({ content: word(index) }));
  payloads.push(openaiChunk({}, 'stop'), openaiUsage(count));
  return payloads;
}

export function openaiTool(count) {
  const payloads = [openaiChunk({ role: 'assistant', content: null, refusal: null })];
  argumentFragments(count).forEach((fragment, index) => {
    const call =
      index === 0
        ? {
            index: 0,
            id: 'call_bench_1',
            type: 'function',
            function: { name: 'write_note', arguments: fragment },
          }
        : { index: 0, function: { arguments: fragment } };
    payloads.push(openaiChunk({ tool_calls: [call] }));
  });
  payloads.push(openaiChunk({}, 'tool_calls'), openaiUsage(count));
  return payloads;
}

// ---------- Anthropic Messages ----------

const anthropicStart = () => ({
  type: 'message_start',
  message: {
    model: 'claude-sonnet-4-5-20250929',
    id: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
    type: 'message',
    role: 'assistant',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 1,
      service_tier: 'standard',
    },
  },
});

const anthropicEnd = (stopReason, outputTokens) => [
  {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: {
      input_tokens: 12,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: outputTokens,
    },
  },
  { type: 'message_stop' },
];

const blockDelta = (index, delta) => ({ type: 'content_block_delta', index, delta });

function anthropicTextBlock(index, count, payloads) {
  payloads.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
  for (let delta = 0; delta < count; delta++) {
    payloads.push(blockDelta(index, { type: 'text_delta', text: word(delta) }));
  }
  payloads.push({ type: 'content_block_stop', index });
}

export function anthropicText(count) {
  const payloads = [anthropicStart()];
  anthropicTextBlock(0, count, payloads);
  payloads.push(...anthropicEnd('end_turn', count));
  return payloads;
}

export function anthropicTool(count) {
  const payloads = [anthropicStart()];
  payloads.push({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'tool_use', id: 'toolu_bench_1', name: 'write_note', input: {} },
  });
  for (const fragment of argumentFragments(count)) {
    payloads.push(blockDelta(0, { type: 'input_json_delta', partial_json: fragment }));
  }
  payloads.push({ type: 'content_block_stop', index: 0 }, ...anthropicEnd('tool_use', count));
  return payloads;
}

/** A thinking block of `reasoningCount` deltas (plus its signature), then a text block of `textCount`. */
export function anthropicReasoning(reasoningCount, textCount) {
  const payloads = [anthropicStart()];
  payloads.push({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'thinking', thinking: '', signature: '' },
  });
  for (let delta = 0; delta < reasoningCount; delta++) {
    payloads.push(blockDelta(0, { type: 'thinking_delta', thinking: word(delta + 3) }));
  }
  payloads.push(
    blockDelta(0, { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pk' }),
  );
  payloads.push({ type: 'content_block_stop', index: 0 });
  anthropicTextBlock(1, textCount, payloads);
  payloads.push(...anthropicEnd('end_turn', reasoningCount + textCount));
  return payloads;
}

// ---------- Gemini generateContent ----------

const geminiChunk = (parts, extra = {}) => ({
  candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
  usageMetadata: {
    promptTokenCount: 9,
    totalTokenCount: 9,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }],
  },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'bH6LaZW8Fp_3nsEPqtaSwQ4',
});

export function geminiText(count) {
  const payloads = [];
  for (let index = 0; index < count; index++) payloads.push(geminiChunk([{ text: word(index) }]));
  const last = geminiChunk([{ text: '' }], { finishReason: 'STOP' });
  last.usageMetadata = { ...last.usageMetadata, candidatesTokenCount: count, totalTokenCount: 9 + count };
  payloads.push(last);
  return payloads;
}

// ---------- Ollama /api/chat ----------

const ollamaChunk = (content) => ({
  model: 'qwen3:8b',
  created_at: '2026-11-25T10:00:00.123456789Z',
  message: { role: 'assistant', content },
  done: false,
});

export function ollamaText(count) {
  const payloads = [];
  for (let index = 0; index < count; index++) payloads.push(ollamaChunk(word(index)));
  payloads.push({
    ...ollamaChunk(''),
    done: true,
    done_reason: 'stop',
    total_duration: 4_883_583_458,
    load_duration: 1_334_875,
    prompt_eval_count: 26,
    prompt_eval_duration: 342_546_000,
    eval_count: count,
    eval_duration: 4_535_599_000,
  });
  return payloads;
}

// ---------- Structured answers ----------

/** The JSON Schema of `structuredFragments`' answer: a list of notes. */
export const STRUCTURED_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    notes: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'integer' }, text: { type: 'string' }, score: { type: 'number' } },
        required: ['id', 'text', 'score'],
        additionalProperties: false,
      },
    },
  },
  required: ['title', 'notes'],
  additionalProperties: false,
};

/**
 * A JSON answer of `count` fragments of 8 characters (40 KB for 5,000): notes with strings and
 * numbers, cut without regard for tokens, so cuts fall inside strings, numbers and keys.
 */
export function structuredFragments(count) {
  const head = '{"title":"Notes on a fox","notes":[';
  const notes = [];
  let length = head.length + 2;
  for (let id = 0; length < count * 8; id++) {
    const note = JSON.stringify({
      id,
      text: `${word(id)}${word(id + 3)}${word(id + 7)}`.trim(),
      score: (id % 97) / 8,
    });
    notes.push(note);
    length += note.length + 1;
  }
  // Drop notes until the answer fits in count × 8 characters, then pad the title to exactly that.
  let body = `${head}${notes.join(',')}]}`;
  while (body.length > count * 8) {
    notes.pop();
    body = `${head}${notes.join(',')}]}`;
  }
  const padded = body.replace('"Notes on a fox"', `"Notes on a fox${' '.repeat(count * 8 - body.length)}"`);
  const fragments = [];
  for (let index = 0; index < padded.length; index += 8) fragments.push(padded.slice(index, index + 8));
  return fragments;
}

export function openaiStructured(count) {
  const payloads = [openaiChunk({ role: 'assistant', content: '', refusal: null })];
  for (const fragment of structuredFragments(count)) payloads.push(openaiChunk({ content: fragment }));
  payloads.push(openaiChunk({}, 'stop'), openaiUsage(count));
  return payloads;
}
