import type { ProviderLimits } from './coordinator.js';

/** What a request waits for before it is sent: its key's cooldown after a 429, or a full limit. */
export type LimitWait =
  | { kind: 'cooldown'; ms: number }
  | { kind: 'concurrent' | 'window'; limits: ProviderLimits };

/** The wait in words, for the error of a request that timed out waiting (never the key). */
export function describeLimitWait(wait: LimitWait, provider: string, model: string): string {
  if (wait.kind === 'cooldown') {
    const endsAt = new Date(Date.now() + wait.ms).toISOString();
    return `the ${provider} key's cooldown after a 429 (rate limited), which ends at ${endsAt}`;
  }
  const { concurrent, requestsPerMinute, tokensPerMinute } = wait.limits;
  if (wait.kind === 'concurrent')
    return `a free slot under limits ${provider}/${model} concurrent: ${concurrent}, all taken by running streams`;
  const windows = [
    requestsPerMinute === undefined ? undefined : `requestsPerMinute: ${requestsPerMinute}`,
    tokensPerMinute === undefined ? undefined : `tokensPerMinute: ${tokensPerMinute}`,
  ].filter((part) => part !== undefined);
  return `the next minute under limits ${provider}/${model} ${windows.join(', ')}, used up this minute`;
}
