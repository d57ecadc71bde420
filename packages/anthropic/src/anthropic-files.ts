import type { DocumentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest, FilePart, TokenwireError } from '@tokenwire/core';
import {
  base64ToBytes,
  fileSourceOf,
  findPartProblem,
  inlineSizeProblem,
  requestProblem,
} from '@tokenwire/core/adapter';

/**
 * The Messages API's 32 MB request size limit, which inline files must stay within.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support
 */
export const ANTHROPIC_FILE_LIMITS = {
  perFileBytes: 32 * 1024 * 1024,
  perRequestBytes: 32 * 1024 * 1024,
  source: "Anthropic's 32 MB request size limit",
};

/**
 * A file part as an Anthropic `document` block: a PDF by base64 or URL, or plain text (decoded, as
 * the `text` source takes it). Citations stay off (the API's default); `filename` becomes the title.
 */
export function documentBlockOf(part: FilePart): DocumentBlockParam {
  const source = fileSourceOf(part);
  const titled = part.filename === undefined ? {} : { title: part.filename };
  if (source.kind === 'url') return { type: 'document', source: { type: 'url', url: source.url }, ...titled };
  if (part.mediaType === 'application/pdf') {
    return {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: source.data },
      ...titled,
    };
  }
  const text = new TextDecoder().decode(base64ToBytes(source.data));
  return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...titled };
}

/**
 * What Anthropic refuses in files, before sending: documents are PDFs (base64 or URL) or plain
 * text (base64); no audio or video; inline bytes within the 32 MB request limit.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support
 */
export function anthropicFileProblem(request: ChatRequest, provider: string): TokenwireError | undefined {
  const problem = findPartProblem(request, ({ part, path }) => {
    if (part.type !== 'file') return undefined;
    const { mediaType } = part;
    if (mediaType !== 'application/pdf' && mediaType !== 'text/plain') {
      return requestProblem(
        `${path}.mediaType`,
        'is not taken by Anthropic, whose documents are PDFs (application/pdf) or plain text (text/plain); it has no audio or video input',
        mediaType,
        provider,
      );
    }
    if (mediaType === 'text/plain' && fileSourceOf(part).kind === 'url') {
      return requestProblem(
        `${path}.url`,
        'cannot be a URL for a plain-text document on Anthropic (URLs are for PDFs): send the bytes as data',
        part.url,
        provider,
      );
    }
    return undefined;
  });
  return problem ?? inlineSizeProblem(request, ANTHROPIC_FILE_LIMITS, provider);
}
