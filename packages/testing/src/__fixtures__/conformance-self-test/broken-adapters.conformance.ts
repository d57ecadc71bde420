import type { Adapter } from '@tokenwire/core';
import { TokenwireError } from '@tokenwire/core';
import type { AdapterDelta } from '@tokenwire/core/adapter';
import { openaiChatScenarios } from '@tokenwire/testing';
import { describeAdapterConformance } from '@tokenwire/testing/conformance';
import { createReferenceAdapter } from '../../reference-adapter.js';

// Registered by conformance-self-test.test.ts in a child vitest run: the conformance suite must
// fail for each of these deliberately broken adapters, and pass for the unbroken control.

type Break = (inner: Adapter) => Adapter;

function filtered(keep: (delta: AdapterDelta) => boolean): Break {
  return (inner) => ({
    name: inner.name,
    async *stream(request, context) {
      for await (const delta of inner.stream(request, context)) if (keep(delta)) yield delta;
    },
  });
}

const brokenAdapters: Record<string, Break> = {
  control: (inner) => inner,
  'drops-text': filtered((delta) => delta.type !== 'text'),
  'drops-tool-calls': filtered((delta) => delta.type !== 'tool_call'),
  'never-finishes': filtered((delta) => delta.type !== 'finish'),
  // Never passes the signal on and cannot be closed: cancelling leaves the connection open.
  'ignores-abort': (inner) => ({
    name: inner.name,
    stream(request) {
      const iterator = inner
        .stream(request, { signal: new AbortController().signal })
        [Symbol.asyncIterator]();
      return { [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }) };
    },
  }),
  // Sends no responseFormat: the provider is never asked for JSON.
  'ignores-response-format': (inner) => ({
    name: inner.name,
    stream: ({ responseFormat: _ignored, ...request }, context) => inner.stream(request, context),
  }),
  // Leaves tool results out of the history: the model never learns what its tools returned.
  'drops-tool-results': (inner) => ({
    name: inner.name,
    stream: (request, context) =>
      inner.stream(
        { ...request, messages: request.messages.filter((message) => message.role !== 'tool') },
        context,
      ),
  }),
  // Marks every error retryable, so an HTTP 401 is retried.
  'retries-everything': (inner) => ({
    name: inner.name,
    async *stream(request, context) {
      try {
        yield* inner.stream(request, context);
      } catch (error) {
        const { code, message } = error as TokenwireError;
        throw new TokenwireError({ code, message, retryable: true, cause: error });
      }
    },
  }),
};

for (const [name, breakAdapter] of Object.entries(brokenAdapters)) {
  describeAdapterConformance({
    name,
    createAdapter: (baseURL) => breakAdapter(createReferenceAdapter({ baseURL, apiKey: 'self-test-key' })),
    // These hand-written adapters declare no file support: the file tests are skipped.
    scenarios: { ...openaiChatScenarios, files: undefined },
  });
}
