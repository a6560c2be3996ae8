-- Renews this node's lease; runs after keep-later.lua.
-- KEYS: nodes, mine. ARGV: node, now ms, nodes ttl ms.
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
keepLater(KEYS[1], math.max(redis.call('PTTL', KEYS[2]), tonumber(ARGV[3])))
return 1
