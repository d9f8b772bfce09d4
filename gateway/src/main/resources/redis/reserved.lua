-- What a holder has in flight, after dropping expired holds (marked for reconciling, as in
-- enter.lua).  KEYS: r, x.  ARGV: reconcileMs.
purge(KEYS[1], KEYS[2], clock(), tonumber(ARGV[1]))
return tonumber(redis.call('HGET', KEYS[1], '_t') or '0')
