/** A request (or client configuration) that breaks one rule, and the error it must end with. */
export interface InvalidRequestCase {
  /** The rule, as the test names it. */
  rule: string;
  /** Fields over a valid one-message request (`messages: undefined` leaves it without messages). */
  request?: Record<string, unknown>;
  /** Options over the client's configuration. */
  config?: Record<string, unknown>;
  code: 'invalid_request' | 'configuration';
  /** The field the message must name, by its path. */
  path: string;
  /** Further text the message must contain, if any (what is allowed, the suggestion). */
  says?: string;
}

const user = (content: unknown) => ({ role: 'user', content });
const call = { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' };
const tool = { name: 'get_weather', parameters: { type: 'object', properties: {} } };

/**
 * Every rule core checks before a request leaves (DESIGN.md, "Requests are checked before they
 * leave"), one broken request each. The conformance suite sends each through the adapter under
 * test and expects its single error event and no request at the replay server.
 */
export const invalidRequestCases: InvalidRequestCase[] = [
  { rule: 'messages missing', request: { messages: undefined }, code: 'invalid_request', path: 'messages' },
  { rule: 'messages not a list', request: { messages: 'Hello' }, code: 'invalid_request', path: 'messages' },
  { rule: 'messages empty', request: { messages: [] }, code: 'invalid_request', path: 'messages' },
  {
    rule: 'an unknown role',
    request: { messages: [user('Hi'), { role: 'bogus', content: 'x' }] },
    code: 'invalid_request',
    path: 'messages[1].role',
    says: 'must be one of system, user, assistant, tool',
  },
  {
    rule: 'content missing',
    request: { messages: [{ role: 'user' }] },
    code: 'invalid_request',
    path: 'messages[0].content',
  },
  {
    rule: 'content of the wrong type',
    request: { messages: [user(42)] },
    code: 'invalid_request',
    path: 'messages[0].content',
  },
  {
    rule: 'a system message without text',
    request: { messages: [{ role: 'system', content: ['x'] }, user('Hi')] },
    code: 'invalid_request',
    path: 'messages[0].content',
  },
  {
    rule: 'an unknown content part type',
    request: {
      messages: [
        user([
          { type: 'text', text: 'Hi' },
          { type: 'audio', data: 'AAAA' },
        ]),
      ],
    },
    code: 'invalid_request',
    path: 'messages[0].content[1].type',
    says: 'text, image',
  },
  {
    rule: 'an image with neither url nor data',
    request: { messages: [user([{ type: 'image' }])] },
    code: 'invalid_request',
    path: 'messages[0].content[0]',
  },
  {
    rule: 'image data without mediaType',
    request: { messages: [user([{ type: 'image', data: 'iVBORw0KGgo=' }])] },
    code: 'invalid_request',
    path: 'messages[0].content[0].mediaType',
  },
  {
    rule: 'a data: URL that is not base64',
    request: { messages: [user([{ type: 'image', url: 'data:image/png,rawbytes' }])] },
    code: 'invalid_request',
    path: 'messages[0].content[0].url',
  },
  {
    rule: 'a tool message without toolCallId',
    request: {
      messages: [user('Hi'), { role: 'assistant', toolCalls: [call] }, { role: 'tool', content: '21' }],
    },
    code: 'invalid_request',
    path: 'messages[2].toolCallId',
  },
  {
    rule: 'a tool message that answers no earlier call',
    request: { messages: [user('Hi'), { role: 'tool', toolCallId: 'call_9', content: '21' }] },
    code: 'invalid_request',
    path: 'messages[1].toolCallId',
  },
  {
    rule: 'an assistant tool call without id',
    request: { messages: [user('Hi'), { role: 'assistant', toolCalls: [{ ...call, id: undefined }] }] },
    code: 'invalid_request',
    path: 'messages[1].toolCalls[0].id',
  },
  {
    rule: 'an assistant tool call without name',
    request: { messages: [user('Hi'), { role: 'assistant', toolCalls: [{ ...call, name: '' }] }] },
    code: 'invalid_request',
    path: 'messages[1].toolCalls[0].name',
  },
  {
    rule: 'tool parameters that are not a JSON Schema',
    request: { tools: [{ name: 'get_weather', parameters: 'oops' }] },
    code: 'invalid_request',
    path: 'tools[0].parameters',
    says: "type: 'object'",
  },
  {
    rule: 'tool parameters that are not an object schema',
    request: { tools: [{ name: 'get_weather', parameters: { type: 'array' } }] },
    code: 'invalid_request',
    path: 'tools[0].parameters',
  },
  {
    rule: 'an empty tool name',
    request: { tools: [{ ...tool, name: '' }] },
    code: 'invalid_request',
    path: 'tools[0].name',
  },
  {
    rule: 'a duplicated tool name',
    request: { tools: [tool, tool] },
    code: 'invalid_request',
    path: 'tools[1].name',
  },
  {
    rule: 'a tool name outside [A-Za-z0-9_-]{1,64}',
    request: { tools: [{ ...tool, name: 'get weather' }] },
    code: 'invalid_request',
    path: 'tools[0].name',
  },
  {
    rule: 'a tool name of 65 characters',
    request: { tools: [{ ...tool, name: 'x'.repeat(65) }] },
    code: 'invalid_request',
    path: 'tools[0].name',
  },
  {
    rule: 'toolChoice naming a tool that is not there',
    request: { tools: [tool], toolChoice: { name: 'get_time' } },
    code: 'invalid_request',
    path: 'toolChoice',
  },
  {
    rule: 'toolChoice required without tools',
    request: { toolChoice: 'required' },
    code: 'invalid_request',
    path: 'toolChoice',
  },
  {
    rule: 'temperature NaN',
    request: { temperature: Number.NaN },
    code: 'invalid_request',
    path: 'temperature',
  },
  {
    rule: 'temperature negative',
    request: { temperature: -0.5 },
    code: 'invalid_request',
    path: 'temperature',
  },
  { rule: 'topP above 1', request: { topP: 1.5 }, code: 'invalid_request', path: 'topP' },
  {
    rule: 'maxTokens not an integer',
    request: { maxTokens: 10.5 },
    code: 'invalid_request',
    path: 'maxTokens',
  },
  { rule: 'maxTokens of 0', request: { maxTokens: 0 }, code: 'invalid_request', path: 'maxTokens' },
  { rule: 'seed not an integer', request: { seed: 1.5 }, code: 'invalid_request', path: 'seed' },
  { rule: 'stop not a list', request: { stop: 'END' }, code: 'invalid_request', path: 'stop' },
  { rule: 'stop of non-strings', request: { stop: [42] }, code: 'invalid_request', path: 'stop[0]' },
  {
    rule: 'a json_schema response format without schema',
    request: { responseFormat: { type: 'json_schema' } },
    code: 'invalid_request',
    path: 'responseFormat.schema',
  },
  {
    rule: 'an unknown reasoning effort',
    request: { reasoning: { effort: 'extreme' } },
    code: 'invalid_request',
    path: 'reasoning.effort',
  },
  {
    rule: 'an unknown request field',
    request: { max_tokens: 100 },
    code: 'invalid_request',
    path: 'max_tokens',
    says: 'Did you mean maxTokens?',
  },
  {
    rule: 'timeouts.idleMs of 0',
    request: { timeouts: { idleMs: 0 } },
    code: 'configuration',
    path: 'timeouts.idleMs',
  },
  {
    rule: 'timeouts.totalMs NaN',
    request: { timeouts: { totalMs: Number.NaN } },
    code: 'configuration',
    path: 'timeouts.totalMs',
  },
  {
    rule: 'timeouts.firstTokenMs not a number',
    request: { timeouts: { firstTokenMs: 'fast' } },
    code: 'configuration',
    path: 'timeouts.firstTokenMs',
  },
  {
    rule: 'client timeouts.idleMs negative',
    config: { timeouts: { idleMs: -5 } },
    code: 'configuration',
    path: 'timeouts.idleMs',
  },
  { rule: 'client retries below 0', config: { retries: -1 }, code: 'configuration', path: 'retries' },
  {
    rule: 'client retries.maxRetries not whole',
    config: { retries: { maxRetries: 1.5 } },
    code: 'configuration',
    path: 'retries.maxRetries',
  },
  {
    rule: 'an unknown client option',
    config: { timeout: 1000 },
    code: 'configuration',
    path: 'timeout',
    says: 'Did you mean timeouts?',
  },
];
