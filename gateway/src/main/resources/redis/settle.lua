-- Settles and releases holds (LimitGate.settle / release), many in one call: each request's hold
-- is dropped from its holders, the exact costs (summed per counter by the sending node) are booked
-- into the spent counters, and rate-limit buckets are corrected. Once: the batch's done marker
-- makes a second call of the same batch (a retry after a lost reply) a no-op.
-- KEYS: the batch's done marker; per (hold, holder) pair r: the holder's reservations and expiries;
--       per counter c: the spent counter; per correction b: the bucket.
-- ARGV: done ttl ms, R, C, B; per pair: hold id, by (nano-USD the hold shrinks by, -1: dropped
--       whole; a node's advance shrinks by what its requests spent); per counter: cost, byok;
--       per correction: kind (0 refilled | 1 calendar day), capacity, period ms, delta, reset at ms.
-- Returns 1, or 0 when the batch was applied already.
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return 0
end
local R = tonumber(ARGV[2])
local C = tonumber(ARGV[3])
local B = tonumber(ARGV[4])
local k = 2
local a = 5
for _ = 1, R do
  local r = KEYS[k]
  local hold = ARGV[a]
  local by = tonumber(ARGV[a + 1])
  local amt = redis.call('HGET', r, hold)
  if by >= 0 and amt and tonumber(amt) > by then
    redis.call('HINCRBY', r, hold, string.format('%.0f', -by))
    redis.call('HINCRBY', r, '_t', string.format('%.0f', -by))
  else
    if amt then
      redis.call('HDEL', r, hold)
      redis.call('HINCRBY', r, '_t', '-' .. amt)
    end
    redis.call('ZREM', KEYS[k + 1], hold)
  end
  k = k + 2
  a = a + 2
end
for _ = 1, C do
  -- Only counters that exist: a missing one is rebuilt from the ledger, which has these charges.
  local s = KEYS[k]
  if redis.call('EXISTS', s) == 1 then
    redis.call('HINCRBY', s, 'c', ARGV[a])
    redis.call('HINCRBY', s, 'b', ARGV[a + 1])
  end
  k = k + 1
  a = a + 2
end
if B > 0 then
  local now = clock()
  for _ = 1, B do
    local b = KEYS[k]
    local cap = tonumber(ARGV[a + 1])
    local period = tonumber(ARGV[a + 2])
    local delta = tonumber(ARGV[a + 3])
    if ARGV[a] == '1' then
      local used = tonumber(redis.call('GET', b) or '0')
      keep_used(b, math.max(0, used + delta), tonumber(ARGV[a + 4]), now)
    else
      -- May go below zero: a debt that later requests wait out.
      keep_tokens(b, tokens(b, cap, period, now) - delta, period, now)
    end
    k = k + 1
    a = a + 5
  end
end
return 1
