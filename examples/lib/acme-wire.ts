import type { CustomWireFormat } from '@tokenwire/testing';

/**
 * The made-up Acme wire of custom-adapter.ts, for the replay server: `POST /v2/generate` answers
 * SSE records named by their JSON `type`. A string payload is a malformed record, sent as is.
 */
export const acmeWire: CustomWireFormat = {
  name: 'acme',
  path: '/v2/generate',
  emptyPayload: { type: 'text', text: '' }, // what Acme sends while it thinks
  encodeRecord: (payload) =>
    typeof payload === 'string'
      ? `data: ${payload}\n\n`
      : `event: ${(payload as { type: string }).type}\ndata: ${JSON.stringify(payload)}\n\n`,
};
