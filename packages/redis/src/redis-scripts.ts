/**
 * The Lua scripts of the Redis coordinator. Each runs atomically in Redis and reads Redis's own
 * clock (`TIME`), so replicas with skewed clocks agree on windows and leases. Keys derived inside a
 * script share the hash tag of the key passed in (`{…}`), so they live in the same cluster slot.
 */

/** Redis's clock in milliseconds, as the first lines of a script. */
const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * Takes a slot. KEYS[1]: the key's base (`prefix{provider:model:fingerprint}`). ARGV: lease id,
 * lease ms, concurrent, requests per minute, tokens per minute (-1: no limit), tokens.
 * Returns {1, 0} when granted, else {0, ms to wait, 1 for a full concurrent limit or 2 for a full window}.
 * Concurrent slots are a sorted set of leases scored by expiry: a crashed replica's lapse.
 * Minute windows are counters named by the minute, expiring with it.
 */
export const ACQUIRE_SLOT = `${NOW}
local base = KEYS[1]
local leases = base .. ':leases'
local concurrent = tonumber(ARGV[3])
local rpm = tonumber(ARGV[4])
local tpm = tonumber(ARGV[5])
local tokens = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
if concurrent >= 0 and redis.call('ZCARD', leases) >= concurrent then
  local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(first[2]) - now), 1}
end
local minute = math.floor(now / 60000)
local windowLeft = (minute + 1) * 60000 - now
local requests = base .. ':rpm:' .. minute
local used = base .. ':tpm:' .. minute
if rpm >= 0 and tonumber(redis.call('GET', requests) or '0') >= rpm then return {0, windowLeft, 2} end
if tpm >= 0 then
  local spent = tonumber(redis.call('GET', used) or '0')
  if spent > 0 and spent + tokens > tpm then return {0, windowLeft, 2} end
end
if rpm >= 0 then
  redis.call('INCR', requests)
  redis.call('PEXPIRE', requests, windowLeft + 1000)
end
if tpm >= 0 and tokens > 0 then
  redis.call('INCRBY', used, tokens)
  redis.call('PEXPIRE', used, windowLeft + 1000)
end
if concurrent >= 0 then
  redis.call('ZADD', leases, now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', leases, tonumber(ARGV[2]) * 2)
end
return {1, 0}`;

/** Renews a lease still held. KEYS[1]: the key's base. ARGV: lease id, lease ms. */
export const RENEW_SLOT = `${NOW}
local leases = KEYS[1] .. ':leases'
redis.call('ZADD', leases, 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', leases, tonumber(ARGV[2]) * 2)
return 1`;

/** Gives a lease back and counts output tokens. KEYS[1]: the key's base. ARGV: lease id, tokens. */
export const RELEASE_SLOT = `${NOW}
redis.call('ZREM', KEYS[1] .. ':leases', ARGV[1])
local tokens = tonumber(ARGV[2])
if tokens > 0 then
  local minute = math.floor(now / 60000)
  local used = KEYS[1] .. ':tpm:' .. minute
  redis.call('INCRBY', used, tokens)
  redis.call('PEXPIRE', used, (minute + 1) * 60000 - now + 1000)
end
return 1`;

/** Sets a cooldown unless a longer one is set. KEYS[1]: the cooldown key. ARGV: ms. */
export const SET_COOLDOWN = `local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 1`;

/**
 * Appends records. KEYS[1]: the stream, KEYS[2]: its channel. ARGV: retain ms, max length, then
 * pairs of sequence number and text. Entry ids are `seq-0`, so a reader resumes after `seq` exactly.
 */
export const APPEND_RECORDS = `for index = 3, #ARGV, 2 do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], ARGV[index] .. '-0', 't', ARGV[index + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[2], 'a')
return 1`;

/** Marks a stream ended. KEYS[1]: the stream, KEYS[2]: its end key, KEYS[3]: its channel. ARGV: retain ms. */
export const END_STREAM = `redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PUBLISH', KEYS[3], 'e')
return 1`;
