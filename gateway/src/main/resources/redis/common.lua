-- Sent in front of every script (RedisLink.script): what several of them do alike.

-- Redis's own time in milliseconds, so that the nodes' clocks do not matter.
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Drops the holds in reservations r (expiries x) whose node stopped renewing them by now. A hold
-- dropped so was never settled: its node died, maybe after committing the charge to the ledger, so
-- the holder is marked (field _rc) for reconciling until now + reconcile ms (see enter.lua).
local function purge(r, x, now, reconcile)
  local gone = redis.call('ZRANGEBYSCORE', x, '-inf', now)
  for _, id in ipairs(gone) do
    local amt = redis.call('HGET', r, id)
    if amt then
      redis.call('HDEL', r, id)
      redis.call('HINCRBY', r, '_t', '-' .. amt)
      redis.call('HSET', r, '_rc', string.format('%.0f', now + reconcile))
    end
    redis.call('ZREM', x, id)
  end
end

-- The tokens in refilled bucket b now (capacity cap, refilled over period ms).
local function tokens(b, cap, period, now)
  local v = redis.call('HMGET', b, 't', 'ts')
  if not v[1] then
    return cap
  end
  return math.min(cap, tonumber(v[1]) + math.max(0, now - tonumber(v[2])) * cap / period)
end

-- Stores refilled bucket b's tokens as of now; kept two periods and a minute.
local function keep_tokens(b, t, period, now)
  redis.call('HSET', b, 't', tostring(t), 'ts', now)
  redis.call('PEXPIRE', b, 2 * period + 60000)
end

-- Stores calendar-day bucket b's use; kept a minute past its reset.
local function keep_used(b, used, resetAt, now)
  redis.call('SET', b, used, 'PX', math.max(1, resetAt - now) + 60000)
end
