// The bundle-size bench's "core alone": a Worker that streams a completion as SSE with an adapter
// object of its own (here none is bundled), as small as a tokenwire Worker gets.
import { type Adapter, createTokenwire, toSSE } from '@tokenwire/core';

declare const adapter: Adapter;

export default {
  fetch(request: Request): Response {
    const tokenwire = createTokenwire({ providers: { custom: adapter } });
    const stream = tokenwire.stream({
      model: 'custom/model',
      messages: [{ role: 'user', content: request.url }],
    });
    return new Response(toSSE(stream), { headers: { 'content-type': 'text/event-stream' } });
  },
};
