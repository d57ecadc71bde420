import type { TokenwireError } from '../model/errors.js';
import { isPlainObject, requestProblem } from './request-problem.js';

const ROLES = 'must be one of system, user, assistant, tool';
const PARTS =
  "must be a string or a non-empty list of parts ({ type: 'text', text }, { type: 'image', url | data } or { type: 'file', url | data, mediaType })";
const TOOL_PARTS =
  "must be a string (JSON.stringify the tool's output) or a non-empty list of parts ({ type: 'text' | 'image' | 'file', … })";
const DATA_URL = /^data:[^;,]+;base64,/;
const MEDIA_TYPE = /^[a-z0-9][\w.+-]*\/[\w.+-]+$/i;

/**
 * The first problem of `messages`, or undefined. Checks the shape every adapter relies on: roles,
 * content types, parts, images, tool calls and that every tool result answers an earlier call.
 * Written for the hot path of a request: no allocation unless something is wrong or a
 * conversation has tool calls.
 */
export function findMessagesProblem(messages: unknown): TokenwireError | undefined {
  if (!Array.isArray(messages)) {
    return requestProblem('messages', 'must be a non-empty list of { role, content } messages', messages);
  }
  if (messages.length === 0)
    return requestProblem('messages', 'must not be empty: send at least one message');
  let callIds: Set<string> | undefined;
  for (let index = 0; index < messages.length; index++) {
    const message: unknown = messages[index];
    if (!isPlainObject(message))
      return requestProblem(`messages[${index}]`, 'must be a message object', message);
    let problem: TokenwireError | undefined;
    switch (message.role) {
      case 'system':
        if (typeof message.content !== 'string') {
          problem = requestProblem(`messages[${index}].content`, 'must be a string', message.content);
        }
        break;
      case 'user':
        problem = userContentProblem(message.content, index);
        break;
      case 'assistant':
        problem = assistantProblem(message, index);
        if (problem === undefined && Array.isArray(message.toolCalls)) {
          callIds ??= new Set();
          for (const call of message.toolCalls as Array<{ id: string }>) callIds.add(call.id);
        }
        break;
      case 'tool':
        problem = toolResultProblem(message, index, callIds);
        break;
      default:
        problem = requestProblem(`messages[${index}].role`, ROLES, message.role);
    }
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function userContentProblem(content: unknown, index: number, rule = PARTS): TokenwireError | undefined {
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content) || content.length === 0) {
    return requestProblem(`messages[${index}].content`, rule, content);
  }
  for (let partIndex = 0; partIndex < content.length; partIndex++) {
    const part: unknown = content[partIndex];
    // Paths are built only for a problem: this loop runs for every part of every request.
    if (!isPlainObject(part))
      return requestProblem(partPath(index, partIndex), 'must be a content part object', part);
    if (part.type === 'text') {
      if (typeof part.text !== 'string')
        return requestProblem(`${partPath(index, partIndex)}.text`, 'must be a string', part.text);
    } else if (part.type === 'image') {
      const problem = imageProblem(part, index, partIndex);
      if (problem !== undefined) return problem;
    } else if (part.type === 'file') {
      const problem = filePartProblem(part);
      if (problem !== undefined) {
        const [field, rule, ...found] = problem;
        return requestProblem(`${partPath(index, partIndex)}${field}`, rule, ...found);
      }
    } else
      return requestProblem(
        `${partPath(index, partIndex)}.type`,
        'must be one of text, image, file',
        part.type,
      );
  }
  return undefined;
}

function partPath(index: number, partIndex: number): string {
  return `messages[${index}].content[${partIndex}]`;
}

function imageProblem(
  part: Record<string, unknown>,
  index: number,
  partIndex: number,
): TokenwireError | undefined {
  const { url, data, mediaType } = part;
  const path = (): string => partPath(index, partIndex);
  if (url !== undefined) {
    if (typeof url !== 'string' || url === '')
      return requestProblem(`${path()}.url`, 'must be a URL string', url);
    if (url.startsWith('data:') && !DATA_URL.test(url)) {
      return requestProblem(`${path()}.url`, 'must be a base64 data URL (data:<media type>;base64,<data>)');
    }
    if (data !== undefined) return requestProblem(path(), 'must have url or data, not both');
  } else if (data !== undefined) {
    if (typeof data !== 'string' || data === '') {
      return requestProblem(`${path()}.data`, 'must be base64 text', data);
    }
    if (mediaType === undefined)
      return requestProblem(`${path()}.mediaType`, 'is required with data, e.g. image/png');
  } else return requestProblem(path(), 'is an image part and needs url or data (base64 with mediaType)');
  if (mediaType !== undefined && (typeof mediaType !== 'string' || !mediaType.startsWith('image/'))) {
    return requestProblem(`${path()}.mediaType`, 'must be an image media type such as image/png', mediaType);
  }
  return undefined;
}

/** What is wrong with one file part: the field (relative path), the rule and the value found. */
function filePartProblem(
  part: Record<string, unknown>,
): [string, string] | [string, string, unknown] | undefined {
  const { url, data, mediaType, filename } = part;
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) {
    return ['.mediaType', 'must be a media type such as application/pdf, text/plain or audio/wav', mediaType];
  }
  if (url !== undefined) {
    if (typeof url !== 'string' || url === '') return ['.url', 'must be a URL string', url];
    if (url.startsWith('data:') && !DATA_URL.test(url)) {
      return ['.url', 'must be a base64 data URL (data:<media type>;base64,<data>)'];
    }
    if (data !== undefined) return ['', 'must have url or data, not both'];
  } else if (data !== undefined) {
    if (typeof data !== 'string' || data === '') return ['.data', 'must be base64 text', data];
  } else return ['', 'is a file part and needs url or data (base64)'];
  if (filename !== undefined && (typeof filename !== 'string' || filename === '')) {
    return ['.filename', 'must be a non-empty string', filename];
  }
  return undefined;
}

function assistantProblem(message: Record<string, unknown>, index: number): TokenwireError | undefined {
  const { content, toolCalls, reasoning } = message;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    return requestProblem(`messages[${index}].content`, 'must be a string or null', content);
  }
  if (toolCalls !== undefined) {
    if (!Array.isArray(toolCalls)) {
      return requestProblem(
        `messages[${index}].toolCalls`,
        'must be a list of { id, name, arguments }',
        toolCalls,
      );
    }
    for (let callIndex = 0; callIndex < toolCalls.length; callIndex++) {
      const problem = toolCallProblem(toolCalls[callIndex]);
      if (problem !== undefined)
        return requestProblem(
          `messages[${index}].toolCalls[${callIndex}]${problem[0]}`,
          problem[1],
          problem[2],
        );
    }
  }
  if (reasoning !== undefined) {
    if (!Array.isArray(reasoning)) {
      return requestProblem(
        `messages[${index}].reasoning`,
        'must be a list of { text, signature? }',
        reasoning,
      );
    }
    for (let partIndex = 0; partIndex < reasoning.length; partIndex++) {
      const problem = reasoningPartProblem(reasoning[partIndex]);
      if (problem !== undefined)
        return requestProblem(
          `messages[${index}].reasoning[${partIndex}]${problem[0]}`,
          problem[1],
          problem[2],
        );
    }
  }
  return undefined;
}

/** What is wrong with one reasoning part: the field (relative path), the rule and the value found. */
function reasoningPartProblem(part: unknown): [string, string, unknown] | undefined {
  if (!isPlainObject(part)) return ['', 'must be a { text, signature? } object', part];
  if (typeof part.text !== 'string') return ['.text', 'must be a string', part.text];
  if (part.signature !== undefined && typeof part.signature !== 'string')
    return ['.signature', 'must be a string', part.signature];
  if (part.redactedData !== undefined && typeof part.redactedData !== 'string') {
    return ['.redactedData', 'must be a string', part.redactedData];
  }
  if (part.providerBlock !== undefined && !isPlainObject(part.providerBlock)) {
    return [
      '.providerBlock',
      'must be an object (the provider block as it was received)',
      part.providerBlock,
    ];
  }
  return undefined;
}

/** What is wrong with one history tool call: the field (relative path), the rule and the value found. */
function toolCallProblem(call: unknown): [string, string, unknown] | undefined {
  if (!isPlainObject(call)) return ['', 'must be a { id, name, arguments } object', call];
  if (typeof call.id !== 'string' || call.id === '') return ['.id', 'must be a non-empty string', call.id];
  if (typeof call.name !== 'string' || call.name === '')
    return ['.name', 'must be a non-empty string', call.name];
  if (typeof call.arguments !== 'string')
    return ['.arguments', 'must be the JSON text of the arguments', call.arguments];
  return undefined;
}

function toolResultProblem(
  message: Record<string, unknown>,
  index: number,
  callIds: Set<string> | undefined,
): TokenwireError | undefined {
  const { toolCallId, content, approval } = message;
  if (
    approval !== undefined &&
    (!isPlainObject(approval) ||
      typeof approval.approved !== 'boolean' ||
      (approval.reason !== undefined && typeof approval.reason !== 'string'))
  ) {
    return requestProblem(
      `messages[${index}].approval`,
      'must be { approved: boolean, reason?: string }',
      approval,
    );
  }
  if (typeof toolCallId !== 'string' || toolCallId === '') {
    return requestProblem(
      `messages[${index}].toolCallId`,
      'must be the id of the tool call this result answers',
      toolCallId,
    );
  }
  if (callIds === undefined || !callIds.has(toolCallId)) {
    return requestProblem(
      `messages[${index}].toolCallId`,
      'must answer a tool call of an earlier assistant message (its toolCalls[].id)',
      toolCallId,
    );
  }
  const contentProblem = userContentProblem(content, index, TOOL_PARTS);
  if (contentProblem !== undefined) return contentProblem;
  if (message.isError !== undefined && typeof message.isError !== 'boolean') {
    return requestProblem(`messages[${index}].isError`, 'must be a boolean', message.isError);
  }
  if (message.name !== undefined && typeof message.name !== 'string') {
    return requestProblem(`messages[${index}].name`, 'must be a string', message.name);
  }
  return undefined;
}
