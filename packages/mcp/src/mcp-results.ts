import type { CallToolResult } from '@modelcontextprotocol/client';

/** The longest tool result, in characters, sent to the model by default: about 25,000 tokens. */
export const DEFAULT_MAX_RESULT_CHARS = 100_000;

type ContentBlock = CallToolResult['content'][number];

/**
 * The text the model gets for an MCP tool result: each content block on its own line (text as is,
 * images, audio and binary resources as a `[… not sent …]` marker, since tokenwire's tool results
 * carry text only), or the structured content as JSON when the result has no text block (the spec
 * asks servers to send a text version of it, often the same JSON, which is not sent twice), cut at
 * `maxChars` with a marker that says how much there was.
 */
export function resultText(result: CallToolResult, maxChars: number = DEFAULT_MAX_RESULT_CHARS): string {
  const blocks = (result.content ?? []).map(blockText);
  const structured = result.structuredContent;
  if (structured !== undefined && !result.content?.some((block) => block.type === 'text'))
    blocks.push(JSON.stringify(structured));
  return truncate(blocks.join('\n'), maxChars);
}

/** Cuts `text` at `maxChars` characters and says so, with the length it had. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n[truncated by @tokenwire/mcp: the result had ${text.length} characters, the first ${maxChars} are kept]`;
}

function blockText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
      return notSent('image', block.mimeType, block.data);
    case 'audio':
      return notSent('audio', block.mimeType, block.data);
    case 'resource_link':
      return `[resource link: ${block.uri}${block.name ? ` (${block.name})` : ''}]`;
    case 'resource': {
      const { resource } = block;
      if ('text' in resource && typeof resource.text === 'string')
        return `[resource ${resource.uri}]\n${resource.text}`;
      const blob = 'blob' in resource && typeof resource.blob === 'string' ? resource.blob : '';
      return notSent(`resource ${resource.uri}`, resource.mimeType, blob);
    }
    default:
      // A block type from a later protocol version: named, not fatal.
      return `[${String((block as { type?: unknown }).type)} content, not sent]`;
  }
}

/** Images and other binary blocks cannot go back in a text tool result yet: say what was there. */
function notSent(kind: string, mimeType: string | undefined, base64: string): string {
  const bytes = Math.floor((base64.replace(/=+$/, '').length * 3) / 4);
  return `[${kind}${mimeType ? ` (${mimeType})` : ''}, ${bytes} bytes, not sent: tokenwire tool results carry text only]`;
}
