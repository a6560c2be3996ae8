-- One page of the sync: members of the index KEYS[1] from rank ARGV[1] to ARGV[2] in descending score
-- order. ARGV[3] = now ms, ARGV[4] = cap ms, ARGV[5] = longest name.
-- Returns a flag (1: the page was full and still live, read on; 0: done), then each member and its
-- score (a score beyond the cap is sent as the cap). Stops at the first member already past. Names
-- longer than the longest are not sent: whatever was written under the prefix, a page costs this
-- node a bounded amount of memory. No key name is made here: what a subject's key holds is read by
-- values.lua, its name sent by the node in KEYS, as a Redis Cluster needs.
local page = redis.pcall('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
local out = {0}
if type(page) ~= 'table' or page.err then return out end
local now, cap, longest = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
for i = 1, #page, 2 do
  local m, s = page[i], tonumber(page[i + 1])
  if not s or s <= now then return out end
  if #m <= longest then
    out[#out + 1] = m
    out[#out + 1] = s > cap and ARGV[4] or page[i + 1]
  end
end
if #page == 2 * (tonumber(ARGV[2]) - tonumber(ARGV[1]) + 1) then out[1] = 1 end
return out
