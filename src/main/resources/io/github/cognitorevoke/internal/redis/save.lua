-- Saves a sealed entry; runs after keep-later.lua.
-- KEYS: entry, mine, nodes. ARGV: blob, deadline ms, id, node, now ms, nodes ttl ms.
local oldTtl = redis.call('PTTL', KEYS[1])
local oldBlob = oldTtl > 0 and redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if oldTtl > ttl then
  redis.call('SET', KEYS[1], oldBlob, 'PX', oldTtl)
  ttl = oldTtl
end
if ttl <= 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('SADD', KEYS[2], ARGV[3])
keepLater(KEYS[2], ttl)
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
keepLater(KEYS[3], math.max(ttl, tonumber(ARGV[6])))
return 1
