/** Replay-server scripts for the examples: one scripted answer of a provider, in its wire format. */
import { type ReplayScript, type ScriptedReply, scriptedReply } from '@tokenwire/testing';

/**
 * A replay script that answers `reply` on whichever provider's wire asks, as the model the request
 * named (the testing kit's `scriptedReply`); `faults` adds delays, stalls and the like.
 */
export function replyScript(
  reply: ScriptedReply,
  faults: Omit<ReplayScript, 'payloads' | 'reply'> = {},
): ReplayScript {
  return scriptedReply(reply, faults);
}

/** The tool call of the examples' weather question. */
export const PARIS_WEATHER_CALL = {
  id: 'call_weather_1',
  name: 'get_weather',
  arguments: '{"city":"Paris"}',
};

/** The JSON answer of structured-output.ts: a two-day trip matching its zod schema. */
export const LISBON_TRIP = JSON.stringify(
  {
    city: 'Lisbon',
    days: [
      { day: 1, plan: 'Alfama on foot, tram 28, sunset at a miradouro' },
      { day: 2, plan: 'Pastries in Belém, then the LX Factory' },
    ],
    budgetEuros: 120,
  },
  null,
  1,
);

/** agent.ts's three requests: two weather calls at once, the answer to their results, the follow-up. */
export const AGENT_REPLIES: ScriptedReply[] = [
  {
    toolCalls: [
      { id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_rome', name: 'get_weather', arguments: '{"city":"Rome"}' },
    ],
  },
  { text: 'Rome is warmer: 26 °C against 21 °C in Paris.' },
  { text: 'Rome.' },
];

/** mcp-filesystem.ts's three requests: list the folder, read the notes, answer. */
export const MCP_FILESYSTEM_REPLIES: ScriptedReply[] = [
  { toolCalls: [{ id: 'call_list', name: 'fs_list_directory', arguments: '{"path":"."}' }] },
  { toolCalls: [{ id: 'call_read', name: 'fs_read_text_file', arguments: '{"path":"notes.txt"}' }] },
  { text: 'Your notes: buy milk, and call Ada at 5.' },
];
