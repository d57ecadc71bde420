// The bundle-size bench's "core + the openai adapter": the same Worker over createOpenAIAdapter,
// its key from the Worker's env (the openai SDK itself is left out of the measure).
import { createTokenwire, toSSE } from '@tokenwire/core';
import { createOpenAIAdapter } from '@tokenwire/openai';

export default {
  fetch(request: Request, env: Record<string, unknown>): Response {
    const tokenwire = createTokenwire({ providers: { openai: createOpenAIAdapter({ env }) } });
    const stream = tokenwire.stream({
      model: 'openai/gpt-4.1',
      messages: [{ role: 'user', content: request.url }],
    });
    return new Response(toSSE(stream), { headers: { 'content-type': 'text/event-stream' } });
  },
};
