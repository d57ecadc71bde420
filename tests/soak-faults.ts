import type { ConformanceScenarios, ReplayScript } from '@tokenwire/testing';

/** How the consumer ends a stream early, if it does. */
export type Interruption = 'cancel' | 'break' | 'abort' | undefined;

/** One fault: the scripts the replay server answers with, and what the consumer does. */
export interface SoakFault {
  name: string;
  scripts(scenarios: ConformanceScenarios): ReplayScript[];
  interrupt?: Interruption;
}

/** Random faults of the wire and the consumer; each stream of the soak draws one. */
export const SOAK_FAULTS: readonly SoakFault[] = [
  { name: 'none', scripts: ({ text }) => [{ payloads: text.payloads }] },
  { name: 'byte splits', scripts: ({ unicode }) => [{ payloads: unicode.payloads, split: 'random' }] },
  { name: 'keep-alives', scripts: ({ text }) => [{ payloads: text.payloads, keepAlive: true }] },
  {
    name: 'tool call',
    scripts: ({ toolCall }) => ('skip' in toolCall ? [] : [{ payloads: toolCall.payloads }]),
  },
  {
    name: 'socket destroyed',
    scripts: ({ text }) => [{ payloads: text.payloads, destroyAfter: text.cut.after }],
  },
  { name: 'truncated', scripts: ({ text }) => [{ payloads: text.payloads, endAfter: text.cut.after }] },
  { name: 'stall', scripts: ({ text }) => [{ payloads: text.payloads, stallAfter: text.cut.after }] },
  {
    name: 'heartbeat',
    scripts: ({ text }) => [{ payloads: text.payloads, heartbeat: { after: text.cut.after, everyMs: 30 } }],
  },
  { name: 'held open', scripts: ({ text }) => [{ payloads: text.payloads, holdOpen: true }] },
  {
    name: 'in-band error',
    scripts: ({ text }) => [
      { payloads: text.payloads, inBandError: { after: text.cut.after }, echoCredentials: true },
    ],
  },
  {
    name: 'malformed record',
    scripts: ({ text }) => [{ payloads: [...text.payloads.slice(0, text.cut.after), '{"broken'] }],
  },
  {
    name: '429 then text',
    scripts: ({ text }) => [{ status: 429, headers: { 'retry-after': '0' } }, { payloads: text.payloads }],
  },
  { name: '500 then text', scripts: ({ text }) => [{ status: 500 }, { payloads: text.payloads }] },
  { name: '401 echoing the key', scripts: () => [{ status: 401, echoCredentials: true }] },
  {
    name: 'HTML error page',
    scripts: () => [
      { status: 502, echoCredentials: true, errorBody: '<html><pre>{{credentials}}</pre></html>' },
    ],
  },
  { name: 'cancel', scripts: ({ text }) => [{ payloads: text.payloads, delayMs: 5 }], interrupt: 'cancel' },
  { name: 'break', scripts: ({ text }) => [{ payloads: text.payloads, delayMs: 5 }], interrupt: 'break' },
  {
    name: 'abort',
    scripts: ({ text }) => [{ payloads: text.payloads, stallAfter: text.cut.after }],
    interrupt: 'abort',
  },
];
