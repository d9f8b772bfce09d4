-- Settle or release a hold (LimitGate.settle / release), once: the done marker makes a second call
-- a no-op, so a retry after a lost reply cannot book twice.
-- KEYS: per holder i (1..H): r_i, x_i; the done marker; per spent counter s (1..S); the bucket to
--       correct (when ARGV[6] = 1).
-- ARGV: holdId, H, S, cost, byok, correct (0|1), kind, capacity, period ms, delta, reset at ms,
--       done ttl ms.
-- Returns 1, or 0 when the hold was finished already.
local hold = ARGV[1]
local H = tonumber(ARGV[2])
local S = tonumber(ARGV[3])
if not redis.call('SET', KEYS[2 * H + 1], '1', 'NX', 'PX', ARGV[12]) then
  return 0
end
for i = 1, H do
  local r = KEYS[2 * i - 1]
  local amt = redis.call('HGET', r, hold)
  if amt then
    redis.call('HDEL', r, hold)
    redis.call('HINCRBY', r, '_t', '-' .. amt)
  end
  redis.call('ZREM', KEYS[2 * i], hold)
end
local cost = tonumber(ARGV[4])
local byok = tonumber(ARGV[5])
if cost ~= 0 or byok ~= 0 then
  for s = 1, S do
    -- Only counters that exist: a missing one is rebuilt from the ledger, which has this charge.
    local key = KEYS[2 * H + 1 + s]
    if redis.call('EXISTS', key) == 1 then
      redis.call('HINCRBY', key, 'c', ARGV[4])
      redis.call('HINCRBY', key, 'b', ARGV[5])
    end
  end
end
if ARGV[6] == '1' then
  local b = KEYS[2 * H + 2 + S]
  local cap = tonumber(ARGV[8])
  local period = tonumber(ARGV[9])
  local delta = tonumber(ARGV[10])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if ARGV[7] == '1' then
    local used = tonumber(redis.call('GET', b) or '0')
    redis.call('SET', b, math.max(0, used + delta), 'PX', math.max(1, tonumber(ARGV[11]) - now) + 60000)
  else
    local v = redis.call('HMGET', b, 't', 'ts')
    local tokens = cap
    if v[1] then
      tokens = math.min(cap, tonumber(v[1]) + math.max(0, now - tonumber(v[2])) * cap / period)
    end
    -- May go below zero: a debt that later requests wait out.
    redis.call('HSET', b, 't', tostring(tokens - delta), 'ts', now)
    redis.call('PEXPIRE', b, 2 * period + 60000)
  end
end
return 1
