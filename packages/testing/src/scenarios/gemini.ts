import { expectedOutcomes } from './expected-outcomes.js';
import { isBase64, isRecord, isText, Problems } from './request-checks.js';
import type { ConformanceScenarios, StructuredOutputScenario } from './scenario-types.js';
import { sameProblems } from './structured-checks.js';

type Part = Record<string, unknown>;

/** @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse */
function chunk(
  parts: Part[],
  finishReason?: string,
  usage: Record<string, number> = { promptTokenCount: 12 },
) {
  const promptTokenCount = usage.promptTokenCount ?? 0;
  return {
    candidates: [
      {
        content: { parts, role: 'model' },
        index: 0,
        ...(finishReason === undefined ? {} : { finishReason }),
      },
    ],
    // a running total on every chunk; candidatesTokenCount only on the last one
    usageMetadata: { totalTokenCount: promptTokenCount, ...usage },
    modelVersion: 'test-model',
    responseId: 'resp_conformance',
  };
}

const finalUsage = { promptTokenCount: 12, candidatesTokenCount: 4, totalTokenCount: 16 };
const text = (value: string) => ({ text: value });
const call = (name: string, args: Record<string, unknown>) => ({ functionCall: { name, args } });

/**
 * `responseMimeType: 'application/json'`, and for a schema Gemini's reduced `responseSchema` (the
 * same properties; the subset drops keywords such as `additionalProperties`).
 */
const structuredOutput: StructuredOutputScenario = {
  answerPayloads: (fragments, _format, end) => [
    ...fragments.slice(0, -1).map((piece) => chunk([text(piece)])),
    chunk([text(fragments.at(-1) ?? '')], end === 'stop' ? 'STOP' : 'MAX_TOKENS', finalUsage),
  ],
  requestProblems(body, format) {
    const config = isRecord(body) && isRecord(body.generationConfig) ? body.generationConfig : {};
    const problems = sameProblems(
      'generationConfig.responseMimeType',
      config.responseMimeType,
      'application/json',
    );
    if (format.type !== 'json_schema') return problems;
    const schema = isRecord(config.responseSchema) ? config.responseSchema : {};
    const properties = isRecord(schema.properties) ? Object.keys(schema.properties) : [];
    return [
      ...problems,
      ...sameProblems(
        'generationConfig.responseSchema.properties',
        properties,
        Object.keys(format.schema.properties as object),
      ),
    ];
  },
};

/**
 * Conformance scenarios for the Gemini `:streamGenerateContent?alt=sse` wire (both Google SDKs).
 * Gemini sends whole function calls without ids and says STOP for them.
 */
export const geminiScenarios: ConformanceScenarios = {
  files: { pdf: 'sent', audio: 'sent', toolImage: 'sent' },
  protocol: 'gemini',
  textPayloads: (texts) => [
    ...texts.slice(0, -1).map((piece) => chunk([text(piece)])),
    chunk([text(texts.at(-1) ?? '')], 'STOP', finalUsage),
  ],
  text: {
    payloads: [
      chunk([text('Hello')]),
      chunk([text(', ')]),
      chunk([text('world')]),
      chunk([text('!')], 'STOP', finalUsage),
    ],
    recordsBeforeOutput: 0,
    cut: { after: 2, content: 'Hello, ' },
    expected: expectedOutcomes.text,
  },
  reasoning: {
    payloads: [
      chunk([{ text: 'Two plus two ', thought: true }]),
      chunk([{ text: 'is four.', thought: true }]),
      chunk([{ text: 'The answer is 4.', thoughtSignature: 'c2lnX2NvbmZvcm1hbmNl' }]),
      chunk([text('')], 'STOP', { ...finalUsage, thoughtsTokenCount: 10, totalTokenCount: 26 }),
    ],
    expected: expectedOutcomes.reasoning(),
  },
  toolCall: {
    payloads: [
      chunk([{ ...call('get_weather', { city: 'Paris' }), thoughtSignature: 'c2ln' }]),
      chunk([text('')], 'STOP', finalUsage),
    ],
    expected: expectedOutcomes.toolCall(),
  },
  parallelToolCalls: {
    payloads: [
      chunk(
        [call('get_weather', { city: 'Paris' }), call('get_weather', { city: 'Tokyo' })],
        'STOP',
        finalUsage,
      ),
    ],
    expected: expectedOutcomes.parallelToolCalls(),
  },
  emptyArgumentsToolCall: {
    payloads: [chunk([call('get_time', {})], 'STOP', finalUsage)],
    expected: expectedOutcomes.emptyArgumentsToolCall(),
  },
  usage: {
    // promptTokenCount includes the cached tokens; output = candidates + thoughts.
    payloads: [
      chunk([text('Hi')], 'STOP', {
        promptTokenCount: 100,
        cachedContentTokenCount: 40,
        candidatesTokenCount: 12,
        thoughtsTokenCount: 8,
        totalTokenCount: 120,
      }),
    ],
    expected: {
      content: 'Hi',
      usage: {
        inputTokens: 100,
        outputTokens: 20,
        totalTokens: 120,
        cachedInputTokens: 40,
        reasoningTokens: 8,
        estimated: false,
      },
    },
  },
  unicode: {
    payloads: [chunk([text('你好')]), chunk([text('🙂 Grüße')], 'STOP', finalUsage)],
    expected: expectedOutcomes.unicode,
  },
  unknownEvents: {
    payloads: [
      { ...chunk([text('Hello')]), futureField: { nested: true } },
      chunk([{ futurePart: { value: 1 } }, text(', ')]),
      { usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 }, modelVersion: 'test-model' },
      chunk([text('world!')], 'STOP', finalUsage),
    ],
    expected: expectedOutcomes.unknownEvents,
  },
  retriesInBandError: true,
  structuredOutput,
  validateRequest: validateGeminiRequest,
};

/**
 * Problems with a Gemini `generateContent` request body: `user`/`model` contents (system text in
 * `systemInstruction`), one data field per part, `functionCall` parts answered by as many
 * `functionResponse` parts with the same names (response an object) in the next content, inline
 * images as base64 `inlineData`, and `functionDeclarations`.
 * @see https://ai.google.dev/api/generate-content#request-body
 */
export function validateGeminiRequest(body: unknown): string[] {
  const problems = new Problems();
  if (!isRecord(body)) return ['body: not a JSON object'];
  const instruction = body.systemInstruction;
  if (instruction !== undefined) {
    const parts = isRecord(instruction) ? instruction.parts : undefined;
    const ok =
      Array.isArray(parts) && parts.length > 0 && parts.every((part) => isRecord(part) && isText(part.text));
    problems.check(ok, 'systemInstruction', 'must be { parts: [{ text }] }');
  }
  let pending: string[] = [];
  const listed = problems.eachRecord(body.contents, 'contents', (content, where) => {
    const role = content.role;
    if (role !== 'user' && role !== 'model' && role !== 'function') {
      problems.add(where, `role must be user or model, not ${JSON.stringify(role)}`);
      return;
    }
    const parts = content.parts;
    if (!Array.isArray(parts) || parts.length === 0) {
      problems.add(where, 'parts must be non-empty');
      return;
    }
    const calls: string[] = [];
    const responses: string[] = [];
    parts.forEach((part: unknown, partIndex) => {
      const at = `${where}.parts[${partIndex}]`;
      if (!isRecord(part)) {
        problems.add(at, 'not an object');
        return;
      }
      const fields = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse'].filter(
        (field) => part[field] !== undefined,
      );
      if (
        !problems.check(
          fields.length === 1,
          at,
          `needs exactly one data field, has ${fields.join(', ') || 'none'}`,
        )
      )
        return;
      if (part.functionCall !== undefined) {
        const functionCall = part.functionCall;
        problems.check(role === 'model', at, 'functionCall belongs in a model content');
        const ok = isRecord(functionCall) && isText(functionCall.name);
        problems.check(ok, at, 'functionCall needs a name');
        problems.check(
          ok && (functionCall.args === undefined || isRecord(functionCall.args)),
          at,
          'args must be an object',
        );
        if (ok) calls.push(functionCall.name as string);
      } else if (part.functionResponse !== undefined) {
        const response = part.functionResponse;
        problems.check(role !== 'model', at, 'functionResponse belongs in a user content');
        const ok = isRecord(response) && isText(response.name);
        problems.check(ok, at, 'functionResponse needs a name');
        problems.check(ok && isRecord(response.response), at, 'functionResponse.response must be an object');
        // Multimodal function responses: media in the response's own parts.
        // @see https://ai.google.dev/gemini-api/docs/function-calling#multimodal
        const mediaParts: unknown = ok ? response.parts : undefined;
        if (mediaParts !== undefined) {
          const media = Array.isArray(mediaParts) ? mediaParts : [undefined];
          media.forEach((media: unknown, mediaIndex) => {
            const inline = isRecord(media) ? media.inlineData : undefined;
            const file = isRecord(media) ? media.fileData : undefined;
            const valid =
              (isRecord(inline) && isText(inline.mimeType) && isBase64(inline.data)) ||
              (isRecord(file) && isText(file.mimeType) && isText(file.fileUri));
            problems.check(
              valid,
              `${at}.functionResponse.parts[${mediaIndex}]`,
              'needs inlineData or fileData',
            );
          });
        }
        if (ok) responses.push(response.name as string);
      } else if (part.inlineData !== undefined) {
        const data = part.inlineData;
        const ok = isRecord(data) && isText(data.mimeType) && isBase64(data.data);
        problems.check(ok, at, 'inlineData needs mimeType and base64 data');
      } else if (part.fileData !== undefined) {
        problems.check(
          isRecord(part.fileData) && isText(part.fileData.fileUri),
          at,
          'fileData needs fileUri',
        );
      } else problems.check(typeof part.text === 'string', at, 'text must be a string');
    });
    const sorted = (names: string[]) => [...names].sort().join(', ');
    if (pending.length > 0) {
      problems.check(
        sorted(responses) === sorted(pending),
        where,
        `must answer the calls ${sorted(pending)} with functionResponse parts`,
      );
    } else if (responses.length > 0) problems.add(where, 'functionResponse parts answer no functionCall');
    pending = calls;
  });
  if (!listed) return problems.list;
  if (pending.length > 0) problems.add('contents', `functionCall ${pending.join(', ')} is never answered`);
  if (body.tools !== undefined) {
    const ok =
      Array.isArray(body.tools) &&
      body.tools.every(
        (tool) =>
          isRecord(tool) &&
          (tool.functionDeclarations === undefined ||
            (Array.isArray(tool.functionDeclarations) &&
              tool.functionDeclarations.every(
                (declaration) => isRecord(declaration) && isText(declaration.name),
              ))),
      );
    problems.check(ok, 'tools', 'must be [{ functionDeclarations: [{ name, parameters }] }]');
  }
  return problems.list;
}
