/**
 * The backend of the React chat example, on one replica: tokenwire's own SSE for `@tokenwire/react`
 * (`/api/chat`) and the AI SDK's UI message stream for `useChat` from `@ai-sdk/react` (`/api/ui-chat`),
 * both resumable on any replica through the coordinator, both stoppable from any replica.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Coordinator,
  cancelSSE,
  fromUIMessages,
  type Message,
  resumeSSE,
  serveSSE,
  type Tokenwire,
  type Tool,
  toUIMessageStream,
  type UIMessageLike,
  uiMessageStreamHeaders,
} from '@tokenwire/core';

/** What the routes need: the client, the model and tools, the coordinator the replicas share. */
export interface ChatBackend {
  tokenwire: Tokenwire;
  model: string;
  tools: Tool[];
  coordinator: Coordinator;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return JSON.parse(body || '{}') as Record<string, unknown>;
}

/** A stream id the client chose, if it is one (`[\w.-]`, at most 128 characters). */
function streamIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.-]{1,128}$/.test(value) ? value : undefined;
}

/** `POST /api/chat` starts (or, for a stream id the store has, replays); `GET` resumes; `/cancel` stops. */
export async function chatRoute(
  backend: ChatBackend,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { coordinator, tokenwire, model, tools } = backend;
  if (request.method === 'POST' && request.url === '/api/chat/cancel') {
    const streamId = streamIdOf((await readJson(request)).streamId);
    if (streamId !== undefined) await cancelSSE(coordinator, streamId);
    return void response.writeHead(204).end();
  }
  const body = request.method === 'POST' ? await readJson(request) : {};
  const streamId = streamIdOf(body.streamId);
  // The same request again (an approval sent twice, say) is served from the store, never run twice.
  if (streamId !== undefined && (await coordinator.hasStream(streamId)))
    request.headers['last-event-id'] = `${streamId}:0`;
  const messages = (body.messages ?? []) as Message[];
  await serveSSE(request, response, {
    coordinator,
    ...(streamId === undefined ? {} : { streamId }),
    start: () => tokenwire.stream({ model, messages, tools }),
  });
}

/**
 * The AI SDK's routes: `POST /api/ui-chat` (its `useChat` body, with the `streamId` the page chose),
 * `GET /api/ui-chat/stream?streamId=…` (its resume: the stream replayed from the start, or 204),
 * `POST /api/ui-chat/cancel?streamId=…` (its Stop).
 */
export async function uiChatRoute(
  backend: ChatBackend,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { coordinator, tokenwire, model, tools } = backend;
  const url = new URL(request.url ?? '/', 'http://localhost');
  const streamId = streamIdOf(url.searchParams.get('streamId'));
  if (request.method === 'POST' && url.pathname === '/api/ui-chat/cancel') {
    if (streamId !== undefined) await cancelSSE(coordinator, streamId);
    return void response.writeHead(204).end();
  }
  if (request.method === 'GET' && url.pathname === '/api/ui-chat/stream') {
    const body = streamId === undefined ? undefined : await resumeSSE(coordinator, `${streamId}:0`);
    if (body === undefined) return void response.writeHead(204).end();
    return pipe(body, response);
  }
  const chat = await readJson(request);
  const id = streamIdOf(chat.streamId);
  const messages = fromUIMessages((chat.messages ?? []) as UIMessageLike[]);
  const stream = tokenwire.stream({ model, messages, tools });
  const body = toUIMessageStream(stream, { coordinator, ...(id === undefined ? {} : { streamId: id }) });
  return pipe(body, response);
}

async function pipe(body: ReadableStream<Uint8Array>, response: ServerResponse): Promise<void> {
  const reader = body.getReader();
  // The reader going away does not stop the stream (it is resumable): Stop does, through cancel.
  response.on('close', () => void reader.cancel().catch(() => {}));
  response.writeHead(200, { ...uiMessageStreamHeaders });
  for (let read = await reader.read(); !read.done; read = await reader.read()) response.write(read.value);
  response.end();
}
