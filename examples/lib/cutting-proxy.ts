/**
 * A load balancer for the replicas' tests and examples/replicas.ts: forwards each request to the
 * replica `route` names, and can cut a response after its Nth SSE record (counted on the bytes it
 * forwards, so however TCP splits them), as a phone changing networks cuts a connection.
 */
import { createServer, request as forward, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where one request goes: a replica's base URL, and the record after which its response is cut. */
export interface Route {
  target: string;
  cutAfterRecords?: number;
}

/** A running proxy. */
export interface CuttingProxy {
  url: string;
  /** Each request: where it went and the `Last-Event-ID` it carried. */
  requests: Array<{ target: string; path: string; lastEventId: string | undefined }>;
  close(): Promise<void>;
}

/** Starts a proxy whose request number `index` (from 0) goes where `route(index, request)` says. */
export async function startCuttingProxy(
  route: (index: number, request: IncomingMessage) => Route,
): Promise<CuttingProxy> {
  const requests: CuttingProxy['requests'] = [];
  const server = createServer((incoming, outgoing) => {
    const { target, cutAfterRecords } = route(requests.length, incoming);
    const header = incoming.headers['last-event-id'];
    requests.push({
      target,
      path: incoming.url ?? '/',
      lastEventId: Array.isArray(header) ? header[0] : header,
    });
    const upstream = forward(new URL(incoming.url ?? '/', target), {
      method: incoming.method,
      headers: { ...incoming.headers, host: new URL(target).host },
    });
    upstream.on('response', (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      let records = 0;
      let previous = '';
      let cut = false;
      response.on('data', (chunk: Buffer) => {
        if (cut) return;
        if (cutAfterRecords === undefined) return void outgoing.write(chunk);
        const text = chunk.toString('latin1');
        for (let index = 0; index < text.length; index++) {
          const isEnd = text[index] === '\n' && (index > 0 ? text[index - 1] : previous) === '\n';
          if (!isEnd || ++records < cutAfterRecords) continue;
          cut = true;
          upstream.destroy(); // the replica sees its client go
          // The client gets the Nth record whole, then its connection is cut.
          outgoing.write(chunk.subarray(0, index + 1), () => outgoing.destroy());
          return;
        }
        previous = text[text.length - 1] ?? previous;
        outgoing.write(chunk);
      });
      response.on('end', () => {
        if (!cut) outgoing.end();
      });
    });
    upstream.on('error', () => outgoing.destroy());
    outgoing.on('close', () => upstream.destroy());

    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
