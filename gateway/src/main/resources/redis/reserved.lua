-- What a holder has in flight, after dropping expired holds (marked for reconciling, as in
-- enter.lua).  KEYS: r, x.  ARGV: reconcileMs.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(gone) do
  local amt = redis.call('HGET', KEYS[1], id)
  if amt then
    redis.call('HDEL', KEYS[1], id)
    redis.call('HINCRBY', KEYS[1], '_t', '-' .. amt)
    redis.call('HSET', KEYS[1], '_rc', string.format('%.0f', now + tonumber(ARGV[1])))
  end
  redis.call('ZREM', KEYS[2], id)
end
return tonumber(redis.call('HGET', KEYS[1], '_t') or '0')
