import type {
  AudioFormat,
  ContentBlock,
  DocumentFormat,
  ToolResultContentBlock,
  VideoFormat,
} from '@aws-sdk/client-bedrock-runtime';
import type { ChatRequest, ContentPart, FilePart, TokenwireError } from '@tokenwire/core';
import {
  base64ToBytes,
  fileSourceOf,
  findPartProblem,
  inlineSizeProblem,
  requestProblem,
} from '@tokenwire/core/adapter';

/** Converse's document formats, by media type. @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html */
const DOCUMENT_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/html': 'html',
  'text/markdown': 'md',
  'text/plain': 'txt',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};
/** Converse's video formats, by media type. @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_VideoBlock.html */
const VIDEO_FORMATS: Readonly<Record<string, VideoFormat>> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-matroska': 'mkv',
  'video/mpeg': 'mpeg',
  'video/x-flv': 'flv',
  'video/x-ms-wmv': 'wmv',
  'video/3gpp': 'three_gp',
};
/** Converse's audio formats, by media type. */
const AUDIO_FORMATS: Readonly<Record<string, AudioFormat>> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/aac': 'aac',
  'audio/webm': 'webm',
};

/**
 * Converse's limits on inline bytes: 4.5 MB per document, 3.75 MB per image.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html
 */
const DOCUMENT_LIMITS = {
  perFileBytes: 4.5 * 1024 * 1024,
  source: "Bedrock Converse's document limit",
  only: (part: Exclude<ContentPart, { type: 'text' }>) =>
    part.type === 'file' && DOCUMENT_FORMATS[part.mediaType] !== undefined,
};
const IMAGE_LIMITS = {
  perFileBytes: 3.75 * 1024 * 1024,
  source: "Bedrock Converse's image limit",
  only: (part: Exclude<ContentPart, { type: 'text' }>) => part.type === 'image',
};

/** A document's `name`: Converse allows letters, digits, single spaces, hyphens, parentheses and brackets. */
function documentName(part: FilePart): string {
  const base = (part.filename ?? 'document').replace(/\.[^.]*$/, '');
  const name = base
    .replace(/[^A-Za-z0-9\s\-()[\]]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  return name === '' ? 'document' : name;
}

/** A file part as a Converse block: `document`, `video` or `audio`, bytes or an `s3://` location. */
export function fileBlockOf(part: FilePart): ContentBlock & ToolResultContentBlock {
  const source = fileSourceOf(part);
  const from =
    source.kind === 'url' ? { s3Location: { uri: source.url } } : { bytes: base64ToBytes(source.data) };
  const video = VIDEO_FORMATS[part.mediaType];
  if (video !== undefined) return { video: { format: video, source: from } };
  const audio = AUDIO_FORMATS[part.mediaType];
  if (audio !== undefined)
    return { audio: { format: audio, source: from } } as ContentBlock & ToolResultContentBlock;
  return {
    document: { format: DOCUMENT_FORMATS[part.mediaType], name: documentName(part), source: from },
  } as ContentBlock & ToolResultContentBlock;
}

/**
 * What Converse refuses in files, before sending: a media type with no document, video or audio
 * format; a URL that is not `s3://` (Converse fetches no web URLs); audio in a tool result (its
 * blocks are text, JSON, image, document and video); a document in a message without text (which
 * Converse requires beside it); documents over 4.5 MB and images over 3.75 MB.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html
 */
export function bedrockFileProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  const problem = findPartProblem(request, ({ part, path, role }) => {
    if (part.type !== 'file') return undefined;
    const { mediaType } = part;
    const known = DOCUMENT_FORMATS[mediaType] ?? VIDEO_FORMATS[mediaType] ?? AUDIO_FORMATS[mediaType];
    if (known === undefined) {
      return requestProblem(
        `${path}.mediaType`,
        `is not a Converse document, video or audio format (documents: ${Object.keys(DOCUMENT_FORMATS).join(', ')}; video/mp4, audio/wav, …)`,
        mediaType,
        provider,
      );
    }
    if (part.url !== undefined && fileSourceOf(part).kind === 'url' && !part.url.startsWith('s3://')) {
      return requestProblem(
        `${path}.url`,
        'is a web URL, which Bedrock cannot fetch: send the bytes (data), or an s3:// location',
        part.url.slice(0, 60),
        provider,
      );
    }
    if (role === 'tool' && AUDIO_FORMATS[mediaType] !== undefined) {
      return requestProblem(
        `${path}.mediaType`,
        'is audio, which a Converse tool result cannot carry (text, JSON, image, document, video): send it in a user message',
        mediaType,
        provider,
      );
    }
    return undefined;
  });
  return (
    problem ??
    documentTextProblem(request, provider) ??
    inlineSizeProblem(request, DOCUMENT_LIMITS, provider) ??
    inlineSizeProblem(request, IMAGE_LIMITS, provider)
  );
}

function documentTextProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  for (const [index, message] of request.messages.entries()) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    const parts = message.content;
    const document = parts.some(
      (part) => part.type === 'file' && DOCUMENT_FORMATS[part.mediaType] !== undefined,
    );
    if (document && !parts.some((part) => part.type === 'text' && part.text !== '')) {
      return requestProblem(
        `messages[${index}].content`,
        'must hold a text part beside a document: Converse requires one (say what to do with the document)',
        parts,
        provider,
      );
    }
  }
  return undefined;
}
