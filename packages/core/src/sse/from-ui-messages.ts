/**
 * The AI SDK's UI messages (what `useChat` POSTs) as a tokenwire conversation, so that a route
 * serving `toUIMessageStream` can pass them to `tokenwire.stream`. Structural types only: no import
 * of the `ai` package.
 */
import type { ContentPart, Message, ToolCall } from '../model/types.js';

/** One part of a UI message, as far as `fromUIMessages` reads it. */
export interface UIMessagePartLike {
  type: string;
  text?: string;
  url?: string;
  mediaType?: string;
  toolCallId?: string;
  /** `dynamic-tool` parts name their tool here. */
  toolName?: string;
  state?: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
  approval?: { id: string; approved?: boolean; reason?: string };
}

/** A UI message, as far as `fromUIMessages` reads it. */
export interface UIMessageLike {
  role: 'system' | 'user' | 'assistant';
  parts: readonly UIMessagePartLike[];
}

/**
 * The conversation of `useChat`'s messages: user and system texts (and images), each assistant
 * step as an assistant turn with its tool calls, then their results; a call the user approved or
 * refused (`addToolApprovalResponse`) as a `tool` message with `approval`, which the stream carries
 * out. Calls without a result or a decision, reasoning (its signatures are not in the UI
 * messages) and other parts are left out.
 *
 * @example
 * const { messages } = await request.json();
 * const stream = tokenwire.stream({ model, messages: fromUIMessages(messages), tools });
 * return new Response(toUIMessageStream(stream), { headers: uiMessageStreamHeaders });
 */
export function fromUIMessages(messages: readonly UIMessageLike[]): Message[] {
  const conversation: Message[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') conversation.push(...assistantTurns(message.parts));
    else if (message.role === 'system') conversation.push({ role: 'system', content: textOf(message.parts) });
    else conversation.push({ role: 'user', content: userContent(message.parts) });
  }
  return conversation;
}

function textOf(parts: readonly UIMessagePartLike[]): string {
  let text = '';
  for (const part of parts) if (part.type === 'text') text += part.text ?? '';
  return text;
}

function userContent(parts: readonly UIMessagePartLike[]): string | ContentPart[] {
  const images = parts.filter(
    (part) => part.type === 'file' && part.mediaType?.startsWith('image/') && part.url,
  );
  if (images.length === 0) return textOf(parts);
  const content: ContentPart[] = [];
  for (const part of parts) {
    if (part.type === 'text' && part.text) content.push({ type: 'text', text: part.text });
    else if (images.includes(part)) content.push({ type: 'image', url: part.url as string });
  }
  return content;
}

/** An assistant message: one turn per step (`step-start` parts divide them), each with its results. */
function assistantTurns(parts: readonly UIMessagePartLike[]): Message[] {
  const turns: Message[] = [];
  let text = '';
  let calls: ToolCall[] = [];
  let results: Message[] = [];
  const close = () => {
    if (text !== '' || calls.length > 0)
      turns.push(
        calls.length > 0
          ? { role: 'assistant', content: text, toolCalls: calls }
          : { role: 'assistant', content: text },
      );
    turns.push(...results);
    text = '';
    calls = [];
    results = [];
  };
  for (const part of parts) {
    if (part.type === 'step-start') close();
    else if (part.type === 'text') text += part.text ?? '';
    else if (part.type === 'dynamic-tool' || part.type.startsWith('tool-')) {
      const name = part.type === 'dynamic-tool' ? (part.toolName ?? '') : part.type.slice('tool-'.length);
      const result = resultOf(part, name);
      if (result === undefined || part.toolCallId === undefined) continue;
      calls.push({
        id: part.toolCallId,
        name,
        arguments: JSON.stringify(part.input ?? {}),
        input: part.input ?? {},
      });
      results.push(result);
    }
  }
  close();
  return turns;
}

/** The message that answers a tool part: its result, its error, or the user's decision on it. */
function resultOf(part: UIMessagePartLike, name: string): Message | undefined {
  const toolCallId = part.toolCallId ?? '';
  switch (part.state) {
    case 'output-available':
      return { role: 'tool', toolCallId, name, content: contentOf(part.output) };
    case 'output-error':
      return { role: 'tool', toolCallId, name, content: part.errorText ?? 'The tool failed.', isError: true };
    case 'output-denied':
      return { role: 'tool', toolCallId, name, content: `The user refused to run ${name}.`, isError: true };
    case 'approval-responded': {
      const approved = part.approval?.approved === true;
      const reason = part.approval?.reason;
      return {
        role: 'tool',
        toolCallId,
        name,
        content: '',
        approval: reason === undefined ? { approved } : { approved, reason },
      };
    }
    default:
      return undefined; // still streaming, or waiting for a decision: not part of the conversation yet
  }
}

function contentOf(output: unknown): string {
  return typeof output === 'string' ? output : (JSON.stringify(output) ?? 'null');
}
