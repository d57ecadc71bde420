import type { CustomWireFormat } from '@tokenwire/testing';

/**
 * The made-up Bolt wire of custom-ndjson-adapter.ts, for the replay server: `POST /bolt/stream`
 * answers one JSON object per line. A string payload is a malformed line, sent as is.
 */
export const boltWire: CustomWireFormat = {
  name: 'bolt',
  path: '/bolt/stream',
  contentType: 'application/x-ndjson',
  emptyPayload: { text: '' },
  encodeRecord: (payload) => `${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n`,
  encodeInBandError: ({ message }) =>
    `${JSON.stringify({ failure: { status: 503, message: message ?? 'overloaded' } })}\n`,
  errorBody: (status, message) => ({ failure: { status, message } }),
};
