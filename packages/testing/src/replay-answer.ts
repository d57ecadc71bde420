/** How the replay server answers one request: an HTTP error, or a stream with its faults. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFixture } from './fixtures.js';
import { bodyPieces, stopOf, writePieces } from './replay-body.js';
import type { ReplayScript } from './replay-server.js';
import type { Wire } from './wire-format.js';

/** One request being answered. */
export interface Answer {
  response: ServerResponse;
  script: ReplayScript;
  wire: Wire;
  requestId: string;
  /** The credentials the request carried (header values), for scripts that echo them. */
  credentials: string[];
  /** Resolves when the connection closes, whoever closes it. */
  closed: Promise<void>;
  /** Marks the answer complete: a close after it is not the client's early close. */
  finish(): void;
}

/** Request headers that carry credentials, as SDKs and gateways send them. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'proxy-authorization',
  'x-gateway-token',
  'x-amz-security-token',
];

/** The credential header values of a request, as sent. */
export function credentialsOf(request: IncomingMessage): string[] {
  return CREDENTIAL_HEADERS.flatMap((name) => {
    const value = request.headers[name];
    return typeof value === 'string' && value !== '' ? [value] : [];
  });
}

/** Headers that echo the credentials, as auth failures and proxies do. */
function echoHeaders(answer: Answer): Record<string, string> {
  const [first] = answer.credentials;
  if (!answer.script.echoCredentials || first === undefined) return {};
  return {
    'www-authenticate': `Bearer error="invalid_token", token="${first}"`,
    'x-echoed-authorization': answer.credentials.join(', '),
  };
}

/** The echoed message of a status answer or an in-band error ("Incorrect API key provided: …"). */
function echoMessage(answer: Answer): string | undefined {
  if (!answer.script.echoCredentials || answer.credentials.length === 0) return undefined;
  return `Incorrect API key provided: ${answer.credentials.join(', ')}. You can find your API key in your dashboard.`;
}

/** A string error body (an HTML page), with `{{credentials}}` replaced when the script echoes them. */
function echoedPage(answer: Answer, page: string): string {
  return answer.script.echoCredentials
    ? page.replaceAll('{{credentials}}', answer.credentials.join('<br>'))
    : page;
}

/** Answers with an HTTP error status and the vendor's error body. */
export function answerWithStatus(answer: Answer, status: number): void {
  const { response, script, wire, requestId } = answer;
  let payload =
    typeof script.errorBody === 'string'
      ? echoedPage(answer, script.errorBody)
      : (script.errorBody ?? wire.errorBody(status, echoMessage(answer)));
  if (script.errorBody === undefined && wire.name === 'anthropic') {
    payload = { ...(payload as object), request_id: requestId };
  }
  answer.finish();
  response.writeHead(status, {
    'content-type': typeof payload === 'string' ? 'text/html; charset=utf-8' : 'application/json',
    'x-request-id': requestId,
    'request-id': requestId,
    'x-amzn-requestid': requestId,
    ...(typeof payload === 'string' ? {} : wire.errorHeaders(status)),
    ...echoHeaders(answer),
    ...script.headers,
  });
  response.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
}

/** Answers with a 200 stream of the script's payloads, then its fault. */
export async function answerWithStream(answer: Answer): Promise<void> {
  const { response, wire, closed } = answer;
  const script = echoedScript(answer);
  const payloads = script.payloads ?? (script.fixture === undefined ? [] : await readFixture(script.fixture));
  const stop = stopOf(script, payloads.length);
  response.writeHead(200, {
    'content-type': wire.contentType,
    'cache-control': 'no-cache',
    'x-request-id': answer.requestId,
    'request-id': answer.requestId,
    'x-amzn-requestid': answer.requestId,
    ...echoHeaders(answer),
    ...script.headers,
  });
  response.flushHeaders();
  // A client that closes a complete answer as soon as it has read it (at the terminal record) closes nothing early.
  const complete =
    (stop.kind === 'complete' && script.holdOpen !== true) || stop.kind === 'end' || stop.kind === 'destroy';
  const pieces = bodyPieces(wire, script, payloads, stop);
  const writeOk = await writePieces(
    response,
    pieces,
    script.split,
    closed,
    complete ? answer.finish : undefined,
  );
  if (!writeOk) return; // the client went away
  if (stop.kind === 'stall' || (stop.kind === 'complete' && script.holdOpen === true)) return closed;
  if (stop.kind === 'heartbeat')
    return beat(answer, script.heartbeat as NonNullable<ReplayScript['heartbeat']>);
  answer.finish();
  if (stop.kind === 'destroy') response.socket?.destroy();
  else response.end();
}

/** The script with an echoing in-band error message, when it asks for one. */
function echoedScript(answer: Answer): ReplayScript {
  const message = echoMessage(answer);
  const { script } = answer;
  if (message === undefined || script.inBandError === undefined) return script;
  return { ...script, inBandError: { ...script.inBandError, message } };
}

/** Writes an empty record every `everyMs` until the client closes. */
async function beat(answer: Answer, heartbeat: NonNullable<ReplayScript['heartbeat']>): Promise<void> {
  const { response, wire, closed } = answer;
  const payload = heartbeat.payload ?? wire.emptyPayload;
  if (payload === undefined)
    throw new Error(`replay server: set heartbeat.payload: the ${wire.name} wire has no empty record`);
  const record = wire.encodeRecord(payload);
  let open = true;
  void closed.then(() => {
    open = false;
  });
  while (open && !response.destroyed) {
    await Promise.race([new Promise((resolve) => setTimeout(resolve, heartbeat.everyMs)), closed]);
    if (open && !response.destroyed) response.write(record);
  }
}
