/**
 * The React chat of the example, on `useChat` from `@tokenwire/react`: the answer streams with its
 * tool calls, Stop cancels it upstream, a reload resumes it (on whichever replica answers), and a
 * tool that needs approval waits for Approve or Reject, across reloads.
 */
import { type ChatMessage, type ChatPart, type FrameScheduler, useChat } from '@tokenwire/react';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

function Part({ part }: { part: ChatPart }) {
  if (part.type === 'text') return <span className="text">{part.text}</span>;
  if (part.type === 'reasoning') return <em className="reasoning">{part.text}</em>;
  if (part.type === 'object') return <pre className="object">{JSON.stringify(part.object)}</pre>;
  const input = JSON.stringify(part.input ?? part.partialInput ?? {});
  const output = part.output === undefined ? '' : ` → ${JSON.stringify(part.output)}`;
  return <code className={`tool ${part.state}`}>{`${part.name}(${input})${output}`}</code>;
}

function Message({ message }: { message: ChatMessage }) {
  return (
    <li className={message.role}>
      {message.parts.map((part, index) => (
        // Parts only grow at the end: their index is their identity.
        <Part key={index} part={part} />
      ))}
    </li>
  );
}

/** `?frames=every-token` publishes each event at once, for the bench: what coalescing per frame saves. */
function framesOf(search: string): { frame?: FrameScheduler } {
  if (!search.includes('frames=every-token')) return {};
  return {
    frame: (callback) => {
      callback();
      return () => {};
    },
  };
}

function Chat() {
  const chat = useChat({ api: '/api/chat', storage: sessionStorage, ...framesOf(location.search) });
  const [text, setText] = useState('What is the weather in Paris?');
  // After a reload: the answer that was streaming goes on, from whichever replica answers.
  useEffect(() => void chat.resume(), [chat.resume]); // resume is stable: this runs once
  const busy = chat.status === 'submitted' || chat.status === 'streaming';
  return (
    <main>
      <ol id="messages">
        {chat.messages.map((message) => (
          <Message key={message.id} message={message} />
        ))}
      </ol>
      {chat.pendingApprovals.map((call) => (
        <p key={call.approvalId} className="approval">
          Run {call.name}({JSON.stringify(call.input)})?{' '}
          <button type="button" id="approve" onClick={() => void chat.approve(call.approvalId)}>
            Approve
          </button>{' '}
          <button type="button" id="reject" onClick={() => void chat.reject(call.approvalId, 'Not now.')}>
            Reject
          </button>
        </p>
      ))}
      <p id="status">{chat.error === undefined ? chat.status : `error: ${chat.error.message}`}</p>
      <input id="prompt" value={text} onChange={(event) => setText(event.target.value)} />
      <button type="button" id="send" disabled={busy} onClick={() => void chat.send(text)}>
        Send
      </button>
      <button type="button" id="stop" disabled={!busy} onClick={() => void chat.stop()}>
        Stop
      </button>
    </main>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(<Chat />);
