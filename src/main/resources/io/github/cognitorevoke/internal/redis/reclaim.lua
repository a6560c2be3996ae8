-- reclaim(key, kind): a key of another type under the prefix was not written by a node and holds
-- nothing of ours: deleted where a takeover needs the key (as the denylist scripts replace theirs)
-- instead of failing the script.
local function reclaim(key, kind)
  local t = redis.call('TYPE', key).ok
  if t ~= kind and t ~= 'none' then redis.call('DEL', key) end
end
