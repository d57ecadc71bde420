import type { Message, StreamEvent, TokenwireError } from '@tokenwire/core';
import { ChatAnswer } from './chat-answer.js';
import { loadChat, pendingOf, putResult, randomId, STORAGE_KEY, safeId, saveChat } from './chat-saved.js';
import { type ChatRun, chatError, isAbort, readRun } from './chat-stream.js';
import type { ChatMessage, ChatSnapshot, ChatStatus, ChatStorage } from './chat-types.js';
import { animationFrame, FrameBatcher, type FrameScheduler } from './frame-batcher.js';

/** Options of `ChatClient`. */
export interface ChatClientOptions {
  /**
   * The chat endpoint. `send` POSTs `{ messages, streamId, ...body }` there and reads a tokenwire
   * SSE stream (`toSSE` or `serveSSE`, resumable with a coordinator); `resume` and reconnections
   * GET it with `Last-Event-ID`, on whichever replica answers.
   */
  api: string;
  /** Where `stop` POSTs `{ streamId }`, for the server to call `cancelSSE`. Default `<api>/cancel`. */
  cancelApi?: string;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Extra fields of every POST body (a model name, say). */
  body?: Record<string, unknown>;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Keeps the chat across reloads (`sessionStorage`): its messages, the running stream, pending approvals. */
  storage?: ChatStorage;
  /** The key in `storage`. Default `'tokenwire-chat'`. */
  storageKey?: string;
  /** When snapshots are published. Default: once per animation frame (`requestAnimationFrame`). */
  frame?: FrameScheduler;
}

/**
 * A chat over a tokenwire backend, for any framework (no React import): it sends the conversation,
 * assembles the answer from the events (text, reasoning, tool calls with their partial input,
 * results, partial objects, approvals), stops it upstream (`cancelSSE` on the server, whether the
 * stream is live or resumed), resumes it after a reload on any replica, each event once, and
 * publishes immutable snapshots at most once per frame — the first token and the end at once.
 *
 * @example
 * const chat = new ChatClient({ api: '/api/chat', storage: sessionStorage });
 * chat.subscribe(() => render(chat.getSnapshot()));
 * void chat.resume(); // after a reload: the answer that was streaming, if any
 * await chat.send('What is the weather in Paris?');
 */
export class ChatClient {
  private readonly fetch: typeof fetch;
  private readonly listeners = new Set<() => void>();
  private readonly batcher: FrameBatcher;
  private conversation: Message[] = [];
  private shown: ChatMessage[] = [];
  private answer: ChatAnswer | undefined;
  private run: ChatRun | undefined;
  private status: ChatStatus = 'ready';
  private error: TokenwireError | undefined;
  private streamId: string | undefined;
  private chatId: string = randomId();
  /** The decisions on the pending approvals, sent once every one is decided. */
  private decisions: Message[] = [];
  private usage: ChatSnapshot['usage'];
  private snapshot: ChatSnapshot;

  constructor(private readonly options: ChatClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.batcher = new FrameBatcher(() => this.publish(), options.frame ?? animationFrame);
    this.restore();
    this.snapshot = this.take();
  }

  /** Calls `listener` after each new snapshot; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The chat as it stands: the same object until something shown changed. */
  getSnapshot = (): ChatSnapshot => this.snapshot;

  /** Sends a user message and streams the answer. Resolves when the answer has ended. */
  async send(text: string): Promise<void> {
    await this.stop();
    this.refusePending();
    this.conversation.push({ role: 'user', content: text });
    this.shown.push({ id: randomId(), role: 'user', parts: [{ type: 'text', text }] });
    await this.start(this.conversation, randomId());
  }

  /**
   * Stops the answer: reading ends at once (what arrived stays), and the server is asked to cancel
   * the stream upstream (`cancelApi`), from whichever replica runs it.
   */
  async stop(): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    run.controller.abort();
    this.commitAnswer(undefined);
    this.setStatus('ready');
    await this.fetch(this.options.cancelApi ?? `${this.options.api}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.options.headers },
      body: JSON.stringify({ streamId: run.streamId }),
    }).catch(() => {});
  }

  /**
   * Resumes a stream by its id (or a `Last-Event-ID`), by default the one that was running when
   * the page went away (`storage`). From a stream id, the answer is read again from its start;
   * events already applied are never applied twice. Resolves when the answer has ended.
   */
  async resume(streamIdOrEventId: string | undefined = this.streamId): Promise<void> {
    if (streamIdOrEventId === undefined) return;
    const lastEventId = streamIdOrEventId.includes(':') ? streamIdOrEventId : `${streamIdOrEventId}:0`;
    const streamId = lastEventId.slice(0, lastEventId.lastIndexOf(':'));
    if (this.run?.streamId === streamId) return; // being read already
    await this.stop();
    const run = this.begin(streamId);
    await this.read(run, async () => {
      const response = await this.fetch(this.options.api, {
        headers: { accept: 'text/event-stream', 'last-event-id': lastEventId, ...this.options.headers },
        signal: run.controller.signal,
      });
      // An approval whose stream never started (the page went away first) is sent again: its
      // stream id is the approval's, so a server that has it already serves it instead of running it.
      if (response.status === 404 && this.decisions.length > 0) return this.post(this.decisionsSent(), run);
      return response;
    });
  }

  /** Approves a pending tool call: once every pending call is decided, the answer goes on. */
  approve(approvalId: string): Promise<void> {
    return this.decide(approvalId, { approved: true });
  }

  /** Refuses a pending tool call; `reason` goes to the model. */
  reject(approvalId: string, reason?: string): Promise<void> {
    return this.decide(approvalId, reason === undefined ? { approved: false } : { approved: false, reason });
  }

  private async decide(approvalId: string, approval: { approved: boolean; reason?: string }): Promise<void> {
    const pending = this.snapshot.pendingApprovals;
    const call = pending.find((item) => item.approvalId === approvalId);
    if (call === undefined) return;
    this.decisions = this.decisions.filter(
      (message) => message.role !== 'tool' || message.toolCallId !== call.toolCallId,
    );
    this.decisions.push({
      role: 'tool',
      toolCallId: call.toolCallId,
      name: call.name,
      content: '',
      approval,
    });
    this.persist();
    if (this.decisions.length < pending.length) return;
    // The stream id is the approval's: sending the same decision again cannot run the tool twice.
    const streamId = `${this.chatId}.${safeId(approvalId)}`;
    await this.start(this.decisionsSent(), streamId);
  }

  /**
   * A message sent while calls wait for approval answers them first as refused (error results, no
   * tool run): a provider takes no new message after calls without results.
   */
  private refusePending(): void {
    for (const call of this.snapshot.pendingApprovals) {
      const { toolCallId, name } = call;
      const output = 'The user sent a new message instead of approving this call.';
      this.conversation.push({ role: 'tool', toolCallId, name, content: output, isError: true });
      putResult(this.shown, { type: 'tool_result', toolCallId, name, output, isError: true });
    }
    this.decisions = [];
  }

  private decisionsSent(): Message[] {
    return [...this.conversation, ...this.decisions];
  }

  private async start(messages: Message[], streamId: string): Promise<void> {
    const run = this.begin(streamId);
    await this.read(run, () => this.post(messages, run));
  }

  private post(messages: Message[], run: ChatRun): Promise<Response> {
    return this.fetch(this.options.api, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...this.options.headers },
      body: JSON.stringify({ ...this.options.body, messages, streamId: run.streamId }),
      signal: run.controller.signal,
    });
  }

  private begin(streamId: string): ChatRun {
    const run: ChatRun = { controller: new AbortController(), streamId, seq: 0 };
    this.run = run;
    this.answer = new ChatAnswer(randomId());
    this.error = undefined;
    this.streamId = streamId;
    this.persist();
    this.setStatus('submitted');
    return run;
  }

  private async read(run: ChatRun, request: () => Promise<Response>): Promise<void> {
    try {
      const response = await request();
      await readRun(response, run, { url: this.options.api, fetch: this.fetch }, (event) =>
        this.apply(event, run),
      );
      if (this.run === run) this.fail(run, chatError(new Error('the stream ended without its finish')));
    } catch (error) {
      if (this.run !== run || isAbort(error, run)) return;
      this.fail(run, chatError(error));
    }
  }

  private apply(event: StreamEvent, run: ChatRun): void {
    const answer = this.answer;
    if (this.run !== run || answer === undefined) return;
    if (run.streamId !== this.streamId) {
      this.streamId = run.streamId;
      this.persist();
    }
    if (event.type === 'finish') {
      this.run = undefined;
      answer.add(event);
      this.decisions = [];
      this.conversation.push(...event.messages);
      this.usage = event.usage;
      this.commitAnswer(answer.pendingApprovals().length > 0 ? 'awaiting-approval' : 'ready');
      return;
    }
    if (event.type === 'error') {
      this.fail(run, event.error);
      return;
    }
    // The result of a call an earlier answer asked approval for goes on that call.
    if (event.type === 'tool_result' && putResult(this.shown, event)) {
      this.batcher.now();
      return;
    }
    const hadContent = answer.hasContent;
    if (!answer.add(event)) return;
    if (this.status === 'submitted') this.status = 'streaming';
    if (!hadContent && answer.hasContent) this.batcher.now();
    else this.batcher.later();
  }

  private fail(run: ChatRun, error: TokenwireError): void {
    if (this.run === run) this.run = undefined;
    this.error = error;
    this.commitAnswer('error');
  }

  /** Moves the answer (what arrived of it) into the shown messages and the conversation. */
  private commitAnswer(status: ChatStatus | undefined): void {
    const answer = this.answer;
    this.answer = undefined;
    if (answer !== undefined) {
      const message = answer.message();
      if (message.parts.length > 0) this.shown.push(message);
      if (answer.finish === undefined) {
        const text = message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
        if (text !== '') this.conversation.push({ role: 'assistant', content: text });
      }
    }
    this.streamId = undefined;
    this.persist();
    if (status !== undefined) this.setStatus(status);
  }

  private setStatus(status: ChatStatus): void {
    this.status = status;
    this.batcher.now();
  }

  private publish(): void {
    this.snapshot = this.take();
    for (const listener of [...this.listeners]) listener();
  }

  private take(): ChatSnapshot {
    const messages = this.answer === undefined ? [...this.shown] : [...this.shown, this.answer.message()];
    return {
      messages,
      status: this.status,
      error: this.error,
      pendingApprovals: pendingOf(this.run === undefined ? messages.at(-1) : undefined),
      streamId: this.streamId,
      usage: this.usage,
    };
  }

  private persist(): void {
    const { storage, storageKey = STORAGE_KEY } = this.options;
    if (storage === undefined) return;
    saveChat(storage, storageKey, {
      chatId: this.chatId,
      conversation: this.conversation,
      messages: this.shown,
      decisions: this.decisions,
      ...(this.streamId === undefined ? {} : { streamId: this.streamId }),
    });
  }

  private restore(): void {
    const { storage, storageKey = STORAGE_KEY } = this.options;
    const state = storage === undefined ? undefined : loadChat(storage, storageKey);
    if (state === undefined) return;
    this.conversation = state.conversation;
    this.shown = state.messages;
    this.streamId = state.streamId;
    this.decisions = state.decisions;
    this.chatId = state.chatId ?? this.chatId;
    if (pendingOf(this.shown.at(-1)).length > 0) this.status = 'awaiting-approval';
  }
}
