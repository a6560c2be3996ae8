-- Takes over entries of one dead node; runs after keep-later.lua and reclaim.lua.
-- KEYS: nodes, mine, theirs (P owned:<dead node>), then the entry (P p:<id>) of each id in ARGV.
-- ARGV: dead node, dead if heartbeat <= this ms, then the ids (the node read them from theirs).
-- Returns id, blob for each entry taken over. Every key is named by the node, in KEYS, as a Redis
-- Cluster needs: the node first reads ids from theirs, then this script takes each that is still
-- there (SREM: two live nodes never take the same entry), if the node is still dead.
-- No call can fail once ids move (a failed script keeps the writes before the error: ids removed from
-- a dead node's set, then in no one's hands): every key is of a type checked first, and entries are
-- read with pcall. A dead node's set of another type holds no id: that node leaves the list; an entry
-- of another type is no entry.
local nodes, mine, theirs, node = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local beat = tonumber(redis.call('ZSCORE', nodes, node))
if not beat or beat > tonumber(ARGV[2]) then return {} end
reclaim(mine, 'set')
local isSet = redis.call('TYPE', theirs).ok == 'set'
local out = {}
if isSet then
  for i = 3, #ARGV do
    local id, entry = ARGV[i], KEYS[i + 1]
    if redis.call('SREM', theirs, id) == 1 then
      local blob = redis.pcall('GET', entry)
      if type(blob) == 'string' then
        redis.call('SADD', mine, id)
        keepLater(mine, redis.call('PTTL', entry))
        out[#out + 1] = id
        out[#out + 1] = blob
      end
    end
  end
end
if not isSet or redis.call('EXISTS', theirs) == 0 then redis.call('ZREM', nodes, node) end
keepLater(nodes, redis.call('PTTL', mine))
return out
