import type { ChatRequest, ContentPart, FilePart, TokenwireError } from '@tokenwire/core';
import { fileSourceOf, findPartProblem, inlineSizeProblem, requestProblem } from '@tokenwire/core/adapter';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import type {
  ResponseInputFile,
  ResponseInputFileContent,
  ResponseInputImageContent,
  ResponseInputTextContent,
} from 'openai/resources/responses/responses';

/**
 * OpenAI's limit on file inputs: 32 MB of content in one request, across its files.
 * @see https://platform.openai.com/docs/guides/pdf-files#usage-considerations
 */
export const OPENAI_FILE_LIMITS = {
  perFileBytes: 32 * 1024 * 1024,
  perRequestBytes: 32 * 1024 * 1024,
  source: "OpenAI's file input limit",
};

/** The `input_audio` formats of Chat Completions, by media type. */
const AUDIO_FORMATS: Record<string, 'wav' | 'mp3'> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
};

/** A name for a file sent without one: OpenAI reads the file's type from it. */
export function filenameOf(part: FilePart): string {
  if (part.filename !== undefined) return part.filename;
  if (part.mediaType === 'application/pdf') return 'document.pdf';
  if (part.mediaType.startsWith('text/')) return 'document.txt';
  return 'file';
}

function dataUrlOf(part: FilePart): string {
  const source = fileSourceOf(part);
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

/**
 * A file part as Chat Completions takes it: audio as `input_audio`, anything else as a `file` with
 * `file_data` (OpenAI takes PDFs there; compatible services such as OpenRouter take more, and URLs).
 * `checkOpenAIFiles` refused what OpenAI itself cannot take first.
 */
export function toChatFilePart(part: FilePart): ChatCompletionContentPart {
  const format = AUDIO_FORMATS[part.mediaType];
  const source = fileSourceOf(part);
  if (format !== undefined && source.kind === 'base64') {
    return { type: 'input_audio', input_audio: { data: source.data, format } };
  }
  return { type: 'file', file: { file_data: dataUrlOf(part), filename: filenameOf(part) } };
}

/** A file part as the Responses API takes it: `input_file` with `file_data`, or `file_url`. */
export function toResponsesFilePart(part: FilePart): ResponseInputFile {
  const source = fileSourceOf(part);
  if (source.kind === 'url') return { type: 'input_file', file_url: source.url };
  return { type: 'input_file', file_data: dataUrlOf(part), filename: filenameOf(part) };
}

/** A tool result's parts as `function_call_output.output` takes them (text, images and files). */
export function toResponsesOutputParts(
  parts: readonly ContentPart[],
  imageUrl: (part: Extract<ContentPart, { type: 'image' }>) => string,
): Array<ResponseInputTextContent | ResponseInputImageContent | ResponseInputFileContent> {
  return parts.map((part) => {
    if (part.type === 'text') return { type: 'input_text', text: part.text };
    if (part.type === 'image') return { type: 'input_image', image_url: imageUrl(part), detail: 'auto' };
    return toResponsesFilePart(part);
  });
}

/**
 * What the OpenAI APIs refuse in files, before sending, the part named by its path:
 * - Chat Completions: tool results take text only; on `openai` and `azure`, files are PDFs (by
 *   `file_data`, no URL) or WAV/MP3 audio (`input_audio`, no URL). Other services get what
 *   `toChatFilePart` maps and answer for themselves, except audio by URL, which has no field.
 * - Responses: no audio or video input.
 * - the size limit of OpenAI's file inputs (`OPENAI_FILE_LIMITS`).
 * @see https://platform.openai.com/docs/guides/pdf-files
 * @see https://platform.openai.com/docs/guides/audio
 */
export function openAIFileProblem(
  request: ChatRequest,
  provider: string,
  api: 'chat' | 'responses',
): TokenwireError | undefined {
  const official = provider === 'openai' || provider === 'azure';
  const problem = findPartProblem(request, ({ part, path, role }) => {
    if (api === 'chat' && role === 'tool' && part.type !== 'text') {
      return requestProblem(
        `${path}.type`,
        "is not taken in a tool result by Chat Completions, whose tool messages are text only: use api: 'responses', or send the image or file in a user message",
        part.type,
        provider,
      );
    }
    if (part.type !== 'file') return undefined;
    return api === 'chat'
      ? chatFileProblem(part, path, provider, official)
      : responsesFileProblem(part, path, provider);
  });
  return problem ?? (official ? inlineSizeProblem(request, OPENAI_FILE_LIMITS, provider) : undefined);
}

function chatFileProblem(
  part: FilePart,
  path: string,
  provider: string,
  official: boolean,
): TokenwireError | undefined {
  const audio = part.mediaType.startsWith('audio/');
  const byUrl = fileSourceOf(part).kind === 'url';
  if (audio && (AUDIO_FORMATS[part.mediaType] === undefined || byUrl)) {
    return requestProblem(
      byUrl ? `${path}.url` : `${path}.mediaType`,
      byUrl
        ? 'cannot be sent as audio by Chat Completions, whose input_audio takes base64 data only: send the bytes as data'
        : 'must be audio/wav or audio/mpeg for Chat Completions input_audio',
      byUrl ? part.url : part.mediaType,
      provider,
    );
  }
  if (!official || audio) return undefined;
  if (part.mediaType !== 'application/pdf') {
    return requestProblem(
      `${path}.mediaType`,
      "is not taken by OpenAI Chat Completions, whose file parts are PDFs only: use api: 'responses' for other documents, or send the text as a text part",
      part.mediaType,
      provider,
    );
  }
  if (byUrl) {
    return requestProblem(
      `${path}.url`,
      "cannot be sent by OpenAI Chat Completions, which takes no file URLs: send the bytes as data, or use api: 'responses' (file_url)",
      part.url,
      provider,
    );
  }
  return undefined;
}

function responsesFileProblem(part: FilePart, path: string, provider: string): TokenwireError | undefined {
  if (!part.mediaType.startsWith('audio/') && !part.mediaType.startsWith('video/')) return undefined;
  return requestProblem(
    `${path}.mediaType`,
    "is not taken by the OpenAI Responses API, which has no audio or video input: use api: 'chat' (input_audio, WAV or MP3) for audio",
    part.mediaType,
    provider,
  );
}
