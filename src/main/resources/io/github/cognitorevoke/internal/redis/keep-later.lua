-- The start of the pending store's scripts that set expiries: keepLater(key, ttl) only ever extends
-- a key's expiry (Redis 6.2 has neither EXPIRE GT nor PEXPIRETIME).
local function keepLater(key, ttl)
  if ttl > 0 and redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
