import type {
  Message as BedrockMessage,
  ContentBlock,
  ImageFormat,
  SystemContentBlock,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type { ContentPart, Message, ReasoningPart } from '@tokenwire/core';
import { base64ToBytes, imageSourceOf, toolCallInput } from '@tokenwire/core/adapter';
import { fileBlockOf } from './bedrock-files.js';

/** The image formats Converse takes, by media type. @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html */
export const BEDROCK_IMAGE_FORMATS: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The conversation in Converse's shape: the system blocks, and alternating user and assistant turns. */
export interface BedrockConversation {
  system: SystemContentBlock[];
  messages: BedrockMessage[];
}

/**
 * Splits a validated conversation into Converse's top-level `system` blocks and its messages. Tool
 * results become `toolResult` blocks of a user message (first in it, as Converse requires);
 * consecutive messages of the same role are merged; assistant reasoning goes back first, as
 * `reasoningContent` with its signature, or its `redactedContent` bytes. Reasoning without a
 * signature (from another provider) is left out, as Bedrock would reject it.
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-call.html
 */
export function toBedrockConversation(messages: readonly Message[]): BedrockConversation {
  const system: SystemContentBlock[] = [];
  const turns: BedrockMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      if (message.content !== '') system.push({ text: message.content });
    } else {
      appendTurn(turns, message.role === 'assistant' ? 'assistant' : 'user', blocksOf(message));
    }
  }
  return { system, messages: turns };
}

function blocksOf(message: Exclude<Message, { role: 'system' }>): ContentBlock[] {
  switch (message.role) {
    case 'user':
      if (typeof message.content === 'string')
        return message.content === '' ? [] : [{ text: message.content }];
      return message.content.flatMap(userBlockOf);
    case 'tool':
      return [
        {
          toolResult: {
            toolUseId: message.toolCallId,
            content:
              typeof message.content !== 'string'
                ? (message.content.flatMap(userBlockOf) as ToolResultContentBlock[])
                : message.content === ''
                  ? []
                  : [{ text: message.content }],
            status: message.isError === true ? 'error' : 'success',
          },
        },
      ];
    case 'assistant': {
      const blocks: ContentBlock[] = [];
      for (const part of message.reasoning ?? []) {
        const block = reasoningBlockOf(part);
        if (block !== undefined) blocks.push(block);
      }
      if (message.content) blocks.push({ text: message.content });
      for (const call of message.toolCalls ?? []) {
        // Arguments that are not a JSON object are sent as {}, as on every provider (core's rule).
        blocks.push({
          toolUse: {
            toolUseId: call.id,
            name: call.name,
            input: toolCallInput(call) as Record<string, never>,
          },
        });
      }
      return blocks;
    }
  }
}

function reasoningBlockOf(part: ReasoningPart): ContentBlock | undefined {
  if (part.redactedData) {
    return { reasoningContent: { redactedContent: base64ToBytes(part.redactedData) } };
  }
  if (part.signature) {
    return { reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } };
  }
  return undefined;
}

// Converse takes images as bytes (or an S3 location); the format and the URL were checked before.
function userBlockOf(part: ContentPart): ContentBlock[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ text: part.text }];
  if (part.type === 'file') return [fileBlockOf(part)];
  const source = imageSourceOf(part);
  if (source.kind === 'url') {
    const format = BEDROCK_IMAGE_FORMATS[source.mediaType ?? ''] ?? formatOfPath(source.url);
    return [{ image: { format, source: { s3Location: { uri: source.url } } } }];
  }
  return [
    {
      image: {
        format: BEDROCK_IMAGE_FORMATS[source.mediaType],
        source: { bytes: base64ToBytes(source.data) },
      },
    },
  ];
}

/** The image format of an S3 object by its extension (`s3://bucket/cat.png`). */
export function formatOfPath(url: string): ImageFormat | undefined {
  const extension = /\.([a-z]+)$/i.exec(url)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : BEDROCK_IMAGE_FORMATS[`image/${extension}`];
}

function appendTurn(turns: BedrockMessage[], role: 'user' | 'assistant', blocks: ContentBlock[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last === undefined || last.role !== role) {
    turns.push({ role, content: blocks });
    return;
  }
  const content = [...(last.content ?? []), ...blocks];
  // toolResult blocks must open the user message that answers the tool uses.
  last.content =
    role === 'user'
      ? [...content.filter((block) => block.toolResult), ...content.filter((block) => !block.toolResult)]
      : content;
}
