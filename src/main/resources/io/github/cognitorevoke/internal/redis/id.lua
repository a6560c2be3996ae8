-- Writes a token id's end; runs after index.lua.
-- KEYS[1] = P j:id, KEYS[2] = P ids; ARGV = endMs, id, channel, capMs, endedMs.
-- Keeps the later end and indexes it; publishes only a change. A current end beyond capMs (now + the
-- longest legitimate entry) was not written by a node: it is replaced, or a value planted ahead of a
-- logout would swallow it and its message. A key that holds no string (missing: false; another type:
-- an error, which pcall returns) is replaced: a key of another type under the prefix must not fail
-- every write of it, and with it every replay and sync of the node.
local got = redis.pcall('GET', KEYS[1])
local cur = type(got) == 'string' and tonumber(got)
if cur and cur >= tonumber(ARGV[1]) and cur <= tonumber(ARGV[4]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1])
index(KEYS[2], ARGV[1], ARGV[2], ARGV[5], ARGV[4])
redis.call('PUBLISH', ARGV[3], 'j ' .. ARGV[1] .. ' ' .. ARGV[2])
return 1
