import type { TokenwireError } from '../model/errors.js';
import type { ChatRequest, ContentPart, FilePart } from '../model/types.js';
import { parseDataUrl } from './request-helpers.js';
import { requestProblem } from './request-problem.js';

/** A file part of a validated request, resolved: a URL the provider fetches, or base64 bytes. */
export type FileSource =
  | { kind: 'url'; url: string; mediaType: string; filename?: string }
  | { kind: 'base64'; data: string; mediaType: string; filename?: string };

/** Where a file part's bytes are: a `data:` URL becomes base64, any other URL stays a URL. */
export function fileSourceOf(part: FilePart): FileSource {
  const named = part.filename === undefined ? {} : { filename: part.filename };
  if (part.url !== undefined) {
    const inline = parseDataUrl(part.url);
    if (inline === undefined) return { kind: 'url', url: part.url, mediaType: part.mediaType, ...named };
    return { kind: 'base64', data: inline.data, mediaType: part.mediaType, ...named };
  }
  return { kind: 'base64', data: part.data ?? '', mediaType: part.mediaType, ...named };
}

/** How many bytes base64 text holds, without decoding it (padding and line breaks aside). */
export function base64ByteLength(base64: string): number {
  let length = base64.length;
  while (length > 0 && base64.charCodeAt(length - 1) === 61 /* = */) length--;
  return Math.floor((length * 3) / 4);
}

/** A content part of a request, with the path that names it in an error. */
export interface PartAt {
  part: ContentPart;
  /** `messages[2].content[0]` */
  path: string;
  /** The role of the message it is in: user parts, or the parts of a tool result. */
  role: 'user' | 'tool';
}

/**
 * Runs `check` over every content part of the request's user messages and tool results, in order,
 * and returns the first problem it reports. For adapters' `checkRequest`.
 */
export function findPartProblem(
  request: ChatRequest,
  check: (at: PartAt) => TokenwireError | undefined,
): TokenwireError | undefined {
  const { messages } = request;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (message === undefined || (message.role !== 'user' && message.role !== 'tool')) continue;
    if (typeof message.content === 'string') continue;
    for (let partIndex = 0; partIndex < message.content.length; partIndex++) {
      const part = message.content[partIndex] as ContentPart;
      const problem = check({ part, path: `messages[${index}].content[${partIndex}]`, role: message.role });
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** A provider's documented size limits on inline (base64) bytes. */
export interface InlineSizeLimits {
  /** The largest one file or image may be, in bytes. */
  perFileBytes: number;
  /** The largest all inline files and images of one request may be together, in bytes. */
  perRequestBytes?: number;
  /** Named in the error: whose limit it is, e.g. "Anthropic's request size limit". */
  source: string;
  /** The parts the limits apply to (a provider's limit for documents only, say). Default all but text. */
  only?: (part: Exclude<ContentPart, { type: 'text' }>) => boolean;
}

/**
 * The `invalid_request` problem of the first inline file or image larger than the provider takes,
 * or of a request whose inline bytes together are, naming the part and the limit; else undefined.
 */
export function inlineSizeProblem(
  request: ChatRequest,
  limits: InlineSizeLimits,
  provider: string,
): TokenwireError | undefined {
  let total = 0;
  return findPartProblem(request, ({ part, path }) => {
    if (part.type === 'text' || (limits.only !== undefined && !limits.only(part))) return undefined;
    const inline = part.url === undefined ? part.data : parseDataUrl(part.url)?.data;
    if (inline === undefined) return undefined;
    const bytes = base64ByteLength(inline);
    total += bytes;
    const field = part.url === undefined ? 'data' : 'url';
    if (bytes > limits.perFileBytes) {
      return requestProblem(
        `${path}.${field}`,
        `must be at most ${megabytes(limits.perFileBytes)} per file (${limits.source}): send a smaller file, or a URL`,
        `${megabytes(bytes)} of data`,
        provider,
      );
    }
    if (limits.perRequestBytes !== undefined && total > limits.perRequestBytes) {
      return requestProblem(
        `${path}.${field}`,
        `must keep the request's inline files within ${megabytes(limits.perRequestBytes)} (${limits.source}): send fewer or smaller files, or URLs`,
        `${megabytes(total)} of data so far`,
        provider,
      );
    }
    return undefined;
  });
}

function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} MB`;
}

/**
 * The text of a tool result: the string itself, or its text parts joined. For providers whose tool
 * results take text only; their `checkRequest` refuses the other parts first.
 */
export function toolResultText(content: string | ContentPart[]): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}
