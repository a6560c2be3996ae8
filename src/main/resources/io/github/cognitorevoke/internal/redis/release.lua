-- Gives up this node's lease; runs after reclaim.lua. A heartbeat of 0: dead now, its entries go at
-- the next sweep of another node.
-- KEYS: nodes, mine. ARGV: node.
reclaim(KEYS[1], 'zset')
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('ZADD', KEYS[1], 0, ARGV[1])
else redis.call('ZREM', KEYS[1], ARGV[1]) end
return 1
