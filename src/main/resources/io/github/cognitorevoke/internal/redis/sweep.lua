-- Takes over a batch of dead nodes' entries; runs after keep-later.lua and reclaim.lua.
-- KEYS: nodes, mine. ARGV: node, now ms, nodes ttl ms, dead if heartbeat <= this ms, batch, prefix, most nodes.
-- Returns node, id, blob for each entry taken over.
-- No call can fail once ids move (a failed script keeps the writes before the error: ids popped from a dead
-- node's set, then in no one's hands): every key is of a type checked first, and entries are read with pcall.
-- A dead node's set of another type holds no id: that node leaves the list; an entry of another type is no entry.
local nodes, mine, me, prefix = KEYS[1], KEYS[2], ARGV[1], ARGV[6]
local room = tonumber(ARGV[5])
reclaim(nodes, 'zset')
reclaim(mine, 'set')
redis.call('ZADD', nodes, ARGV[2], me)
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', nodes, '-inf', ARGV[4], 'LIMIT', 0, tonumber(ARGV[7]))) do
  if node ~= me then
    local owned = prefix .. 'owned:' .. node
    local isSet = redis.call('TYPE', owned).ok == 'set'
    if isSet and room > 0 then
      for _, id in ipairs(redis.call('SPOP', owned, room)) do
        local entry = prefix .. 'p:' .. id
        local blob = redis.pcall('GET', entry)
        if type(blob) == 'string' then
          redis.call('SADD', mine, id)
          keepLater(mine, redis.call('PTTL', entry))
          out[#out + 1] = node
          out[#out + 1] = id
          out[#out + 1] = blob
          room = room - 1
        end
      end
    end
    if not isSet or redis.call('EXISTS', owned) == 0 then redis.call('ZREM', nodes, node) end
  end
end
keepLater(nodes, math.max(redis.call('PTTL', mine), tonumber(ARGV[3])))
return out
