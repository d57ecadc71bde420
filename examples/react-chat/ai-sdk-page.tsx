/**
 * `useChat` from `@ai-sdk/react`, unchanged, against the tokenwire backend (`toUIMessageStream`):
 * the page picks each answer's stream id, so that Stop can cancel it upstream (the AI SDK only
 * aborts its own fetch) and a reload can resume it (`resume: true`) on whichever replica answers.
 */
import { useChat } from '@ai-sdk/react';
import {
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  type UIMessage,
} from 'ai';
import { useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';

interface Saved {
  id?: string;
  messages?: UIMessage[];
  streamId?: string;
}
const load = (): Saved => JSON.parse(sessionStorage.getItem('ai-sdk-chat') ?? '{}') as Saved;
const save = (change: Saved) =>
  sessionStorage.setItem('ai-sdk-chat', JSON.stringify({ ...load(), ...change }));

const saved = load();
const chatId = saved.id ?? crypto.randomUUID();
save({ id: chatId });

let leaving = false;
addEventListener('pagehide', () => {
  leaving = true;
});

/** `fetch` whose abort (the AI SDK's Stop, not a reload) also cancels the stream on the server. */
const stoppable: typeof fetch = (input, init) => {
  const streamId = load().streamId;
  init?.signal?.addEventListener('abort', () => {
    if (!leaving && streamId !== undefined)
      void fetch(`/api/ui-chat/cancel?streamId=${encodeURIComponent(streamId)}`, { method: 'POST' });
  });
  return fetch(input, init);
};

const transport = new DefaultChatTransport({
  api: '/api/ui-chat',
  fetch: stoppable,
  prepareSendMessagesRequest: ({ id, messages }) => {
    const streamId = crypto.randomUUID();
    save({ streamId });
    return { body: { id, messages, streamId } };
  },
  prepareReconnectToStreamRequest: () => ({
    api: `/api/ui-chat/stream?streamId=${encodeURIComponent(load().streamId ?? '')}`,
  }),
});

function Chat() {
  const { messages, sendMessage, status, stop, error, addToolApprovalResponse } = useChat({
    id: chatId,
    transport,
    resume: true,
    // A decision (Approve / Reject) sends the conversation on by itself; the server carries it out.
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    ...(saved.messages === undefined ? {} : { messages: saved.messages }),
  });
  const streamed = useRef(false);
  useEffect(() => {
    // An answer still streaming is not kept (the resume replays it from its start); a finished one is.
    if (status === 'submitted' || status === 'streaming') {
      streamed.current = true;
      save({ messages: messages.at(-1)?.role === 'assistant' ? messages.slice(0, -1) : messages });
    } else if (streamed.current) save({ messages, streamId: undefined });
  }, [messages, status]);
  return (
    <main>
      <ol id="messages">
        {messages.map((message) => (
          <li key={message.id} className={message.role}>
            {message.parts.map((part, index) => {
              const key = `${message.id}-${index}`;
              if (part.type === 'text')
                return (
                  <span key={key} className="text">
                    {part.text}
                  </span>
                );
              if (part.type.startsWith('tool-') && 'state' in part) {
                const output =
                  'output' in part && part.output !== undefined ? ` → ${JSON.stringify(part.output)}` : '';
                const input = 'input' in part ? part.input : undefined;
                const approval = part.state === 'approval-requested' ? part.approval : undefined;
                return (
                  <code key={key} className={`tool ${part.state}`}>
                    {`${part.type.slice(5)}(${JSON.stringify(input ?? {})})${output}`}
                    {approval === undefined ? null : (
                      <button
                        type="button"
                        id="approve"
                        onClick={() => void addToolApprovalResponse({ id: approval.id, approved: true })}
                      >
                        Approve
                      </button>
                    )}
                  </code>
                );
              }
              return null;
            })}
          </li>
        ))}
      </ol>
      <p id="status">{error === undefined ? status : `error: ${error.message}`}</p>
      <input id="prompt" defaultValue="What is the weather in Paris?" />
      <button
        type="button"
        id="send"
        onClick={() => {
          const prompt = document.getElementById('prompt') as HTMLInputElement;
          void sendMessage({ text: prompt.value });
        }}
      >
        Send
      </button>
      <button type="button" id="stop" onClick={() => void stop()}>
        Stop
      </button>
    </main>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(<Chat />);
