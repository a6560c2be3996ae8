-- Hands an entry back to the node it was taken from; runs after keep-later.lua.
-- KEYS: mine, theirs, nodes, entry. ARGV: id, their node.
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
local ttl = redis.call('PTTL', KEYS[4])
if ttl <= 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
keepLater(KEYS[2], ttl)
redis.call('ZADD', KEYS[3], 'NX', 0, ARGV[2])
keepLater(KEYS[3], ttl)
return 1
