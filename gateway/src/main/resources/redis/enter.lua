-- Admission's one step (LimitGate.enter) for several requests at once, one after the other as if
-- each were its own call: for each, hold its amount against every budget line and take every
-- bucket, or nothing. Time is Redis's own, so the nodes' clocks do not matter for holds and
-- buckets.
-- Per admission (its KEYS and ARGV below are its slices of the call's):
-- KEYS: per holder i (1..H): reservations hash r_i, expiry zset x_i; per line j (1..L): spent hash
--       (fields c = cost, b = BYOK cost, nano-USD); per take k (1..T): bucket key.
-- ARGV: holdId, want, holdTtlMs, H, L, T, reconcileMs, extra (an advance asked for on top of want,
--       granted up to a quarter of the room left on the tightest line and only below half of
--       every line's limit, else not at all), the id of
--       an advance on the same holders and what of it to give back first (0: none),
--       per line: holder index, limit, includeByok (0|1), rebuild cost, rebuild byok, counter ttl ms,
--       per take: kind (0 refilled | 1 calendar day), capacity, period ms, amount, reset at ms.
-- Call: ARGV[1] = the number of admissions N, then per admission its key count, its argument
-- count and its arguments; KEYS = every admission's keys in order. Returns one reply per admission:
-- {1, held} admitted, holding want plus the advance granted; {2, line, spent, reserved} over budget; {3, take, remaining, reset at ms,
-- retry after ms} rate limited.
local function admit(KEYS, ARGV)
  local now = clock()
  local hold = ARGV[1]
  local want = tonumber(ARGV[2])
  local ttl = tonumber(ARGV[3])
  local H = tonumber(ARGV[4])
  local L = tonumber(ARGV[5])
  local T = tonumber(ARGV[6])

  local reconcile = tonumber(ARGV[7])
  local extra = tonumber(ARGV[8])
  local back = tonumber(ARGV[10])

  -- What each holder has in flight, after dropping the holds whose node stopped renewing them. A
  -- hold dropped so was never settled: its node died, maybe after committing the charge to the
  -- ledger. For reconcileMs from then on (field _rc), the holder's spent counters are raised to the
  -- ledger as the admitting node reads it (the rebuild arguments), never lowered.
  local held = {}
  local rc = {}
  for i = 1, H do
    local r = KEYS[2 * i - 1]
    if back > 0 then
      -- The spare room of this node's used-up advance, back before this admission looks.
      local amt = redis.call('HGET', r, ARGV[9])
      if amt and tonumber(amt) > back then
        redis.call('HINCRBY', r, ARGV[9], string.format('%.0f', -back))
        redis.call('HINCRBY', r, '_t', string.format('%.0f', -back))
      elseif amt then
        redis.call('HDEL', r, ARGV[9])
        redis.call('HINCRBY', r, '_t', '-' .. amt)
        redis.call('ZREM', KEYS[2 * i], ARGV[9])
      end
    end
    purge(r, KEYS[2 * i], now, reconcile)
    held[i] = tonumber(redis.call('HGET', r, '_t') or '0')
    rc[i] = tonumber(redis.call('HGET', r, '_rc') or '0')
  end

  local a = 11
  local inflight = nil
  local room = nil
  local below_half = nil
  for j = 1, L do
    local hi = tonumber(ARGV[a])
    local limit = tonumber(ARGV[a + 1])
    local byok = ARGV[a + 2] == '1'
    local s = KEYS[2 * H + j]
    if redis.call('EXISTS', s) == 0 then
      -- Missing (first use, a new window, Redis restarted or flushed): rebuilt from the ledger.
      redis.call('HSET', s, 'c', ARGV[a + 3], 'b', ARGV[a + 4])
      redis.call('PEXPIRE', s, ARGV[a + 5])
    elseif rc[hi] > now then
      local cur = redis.call('HMGET', s, 'c', 'b')
      local c = math.max(tonumber(cur[1] or '0'), tonumber(ARGV[a + 3]))
      local b = math.max(tonumber(cur[2] or '0'), tonumber(ARGV[a + 4]))
      redis.call('HSET', s, 'c', string.format('%.0f', c), 'b', string.format('%.0f', b))
    end
    a = a + 6
    local v = redis.call('HMGET', s, 'c', 'b')
    local spent = tonumber(v[1] or '0')
    if byok then
      spent = spent + tonumber(v[2] or '0')
    end
    if spent + want > limit then
      return {2, j, spent, held[hi]}
    end
    if inflight == nil and spent + held[hi] + want > limit then
      inflight = {2, j, spent, held[hi]}
    end
    local left = limit - spent - held[hi] - want
    if room == nil or left < room then
      room = left
    end
    -- Advances only fill the first half of a limit: the other half stays for requests admitted
    -- one by one (other keys on a shared line such as the credits, other nodes), so advances held
    -- by many never refuse them early.
    local half = math.floor(limit / 2) - spent - held[hi] - want
    if below_half == nil or half < below_half then
      below_half = half
    end
  end
  if inflight then
    return inflight
  end

  local after = {}
  for k = 1, T do
    local kind = ARGV[a]
    local cap = tonumber(ARGV[a + 1])
    local period = tonumber(ARGV[a + 2])
    local amount = tonumber(ARGV[a + 3])
    local resetAt = tonumber(ARGV[a + 4])
    a = a + 5
    local b = KEYS[2 * H + L + k]
    if kind == '1' then
      local used = tonumber(redis.call('GET', b) or '0')
      if used + amount > cap then
        return {3, k, math.max(0, cap - used), resetAt, math.max(0, resetAt - now)}
      end
      after[k] = used + amount
    else
      local have = tokens(b, cap, period, now)
      if have < amount then
        return {3, k, math.max(0, math.floor(have)), now + math.ceil((cap - have) * period / cap),
                math.ceil((amount - have) * period / cap)}
      end
      after[k] = have - amount
    end
  end

  local grant = want
  if extra > 0 and room ~= nil then
    local advance = math.min(extra, math.floor(room / 4), below_half)
    if advance > 0 and advance >= want then
      grant = want + advance
    end
  end

  a = 11 + 6 * L
  for k = 1, T do
    local b = KEYS[2 * H + L + k]
    if ARGV[a] == '1' then
      keep_used(b, after[k], tonumber(ARGV[a + 4]), now)
    else
      keep_tokens(b, after[k], tonumber(ARGV[a + 2]), now)
    end
    a = a + 5
  end
  for i = 1, H do
    local r = KEYS[2 * i - 1]
    local x = KEYS[2 * i]
    redis.call('HSET', r, hold, string.format('%.0f', grant))
    redis.call('HINCRBY', r, '_t', string.format('%.0f', grant))
    redis.call('ZADD', x, now + ttl, hold)
    redis.call('PEXPIRE', r, 4 * ttl)
    redis.call('PEXPIRE', x, 4 * ttl)
  end
  return {1, grant}
end

local n = tonumber(ARGV[1])
local out = {}
local k = 1
local a = 2
for i = 1, n do
  local nk = tonumber(ARGV[a])
  local na = tonumber(ARGV[a + 1])
  a = a + 2
  local keys = {}
  for j = 1, nk do
    keys[j] = KEYS[k + j - 1]
  end
  local args = {}
  for j = 1, na do
    args[j] = ARGV[a + j - 1]
  end
  out[i] = admit(keys, args)
  k = k + nk
  a = a + na
end
return out
