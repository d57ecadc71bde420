/** The logger shape the `openai` and `@anthropic-ai/sdk` clients take (`logger` option). */
export interface SdkLogger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/**
 * Lines the `openai` and `@anthropic-ai/sdk` stream readers log just before they throw the parse
 * error that tokenwire reports as the stream's `invalid_response` (with the record): on the user's
 * console they only say the same thing twice, the record's data included.
 */
const REPORTED_BY_TOKENWIRE = /^(Could not parse message into JSON:|From chunk:)/;

/**
 * A logger for the vendor clients tokenwire creates: the SDK's messages go to `console` as the
 * SDK's default logger sends them (at its default level, `warn`), but for the lines of a malformed
 * record, which the stream's own error event carries. Clients the user passes in keep their logger.
 */
export const sdkLogger: SdkLogger = {
  error: (message, ...rest) => {
    if (!REPORTED_BY_TOKENWIRE.test(String(message))) console.error(message, ...rest);
  },
  warn: (message, ...rest) => console.warn(message, ...rest),
  info: () => {},
  debug: () => {},
};
