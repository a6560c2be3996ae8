-- The first step of a sweep: renews this node's lease and names the dead nodes; runs after
-- keep-later.lua and reclaim.lua. take.lua then takes their entries, one dead node a script.
-- KEYS: nodes, mine. ARGV: node, now ms, nodes ttl ms, dead if heartbeat <= this ms, most nodes.
reclaim(KEYS[1], 'zset')
reclaim(KEYS[2], 'set')
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
keepLater(KEYS[1], math.max(redis.call('PTTL', KEYS[2]), tonumber(ARGV[3])))
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[4], 'LIMIT', 0, tonumber(ARGV[5]))) do
  if node ~= ARGV[1] then out[#out + 1] = node end
end
return out
