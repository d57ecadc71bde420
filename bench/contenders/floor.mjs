// The floor: no SDK and no normalization. `fetch` posts the request, the body is decoded with one
// TextDecoder, cut into records with `indexOf` (SSE: blank-line-separated `data:` lines; Ollama:
// NDJSON lines), every record is `JSON.parse`d, and the pieces of output are counted as raw.mjs
// counts them. It handles none of what a client must (CRLF, comments, errors, retries): it is
// the least work that reads these bytes, the yardstick for the direct transport's own cost.
import { newCounts, PROMPT, TOOL } from './common.mjs';

/** Reads a body and calls `onRecord` with each parsed record: `separator` ends a record, `prefix` starts its data. */
async function readRecords(response, separator, prefix, onRecord) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let start = 0;
    let end = buffer.indexOf(separator, start);
    while (end !== -1) {
      const record = buffer.slice(start, end);
      const data = record.indexOf(prefix);
      if (data !== -1) {
        const text = record.slice(data + prefix.length);
        if (text !== '[DONE]') onRecord(JSON.parse(text));
      }
      start = end + separator.length;
      end = buffer.indexOf(separator, start);
    }
    buffer = buffer.slice(start);
  }
}

const post = (url, body) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function openai(workload, url) {
  const tools = workload.tool
    ? [{ type: 'function', function: { name: TOOL.name, parameters: TOOL.parameters } }]
    : undefined;
  const body = { model: 'gpt-4.1-nano', messages: [{ role: 'user', content: PROMPT }], stream: true, tools };
  return async () => {
    const counts = newCounts();
    await readRecords(await post(`${url}/v1/chat/completions`, body), '\n\n', 'data: ', (chunk) => {
      const delta = chunk.choices[0]?.delta;
      if (delta === undefined) return;
      if (delta.content) counts.text++;
      if (delta.tool_calls?.[0]?.function?.arguments) counts.tool++;
    });
    return counts;
  };
}

async function anthropic(workload, url) {
  const tools = workload.tool ? [{ name: TOOL.name, input_schema: TOOL.parameters }] : undefined;
  const body = {
    model: 'claude-sonnet-4-6',
    max_tokens: 64_000,
    messages: [{ role: 'user', content: PROMPT }],
    stream: true,
    tools,
  };
  return async () => {
    const counts = newCounts();
    await readRecords(await post(`${url}/v1/messages`, body), '\n\n', 'data: ', (event) => {
      if (event.type !== 'content_block_delta') return;
      const delta = event.delta;
      if (delta.type === 'text_delta') counts.text++;
      else if (delta.type === 'thinking_delta') counts.reasoning++;
      else if (delta.type === 'input_json_delta') counts.tool++;
    });
    return counts;
  };
}

async function google(_workload, url) {
  const body = { contents: [{ role: 'user', parts: [{ text: PROMPT }] }] };
  const endpoint = `${url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`;
  return async () => {
    const counts = newCounts();
    // Gemini ends its events with CRLF.
    await readRecords(await post(endpoint, body), '\r\n\r\n', 'data: ', (chunk) => {
      const parts = chunk.candidates?.[0]?.content?.parts;
      if (parts !== undefined)
        for (const part of parts) if (part.text) counts[part.thought ? 'reasoning' : 'text']++;
    });
    return counts;
  };
}

async function ollama(_workload, url) {
  const body = { model: 'qwen3:8b', messages: [{ role: 'user', content: PROMPT }], stream: true };
  return async () => {
    const counts = newCounts();
    await readRecords(await post(`${url}/api/chat`, body), '\n', '', (part) => {
      if (part.message?.content) counts.text++;
      if (part.message?.thinking) counts.reasoning++;
    });
    return counts;
  };
}

export const setups = { openai, anthropic, google, 'google-legacy': google, ollama };
