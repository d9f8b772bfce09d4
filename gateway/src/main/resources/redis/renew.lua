-- Keeps the holds of requests still running alive (every third of the hold time). A hold already
-- dropped as expired is not brought back (ZADD XX).
-- KEYS: per (hold, holder) n: r_n, x_n.  ARGV: holdTtlMs, then the hold id of each pair.
local now = clock()
local ttl = tonumber(ARGV[1])
local kept = 0
for n = 1, #KEYS / 2 do
  kept = kept + redis.call('ZADD', KEYS[2 * n], 'XX', 'CH', now + ttl, ARGV[n + 1])
  redis.call('PEXPIRE', KEYS[2 * n - 1], 4 * ttl)
  redis.call('PEXPIRE', KEYS[2 * n], 4 * ttl)
end
return kept
