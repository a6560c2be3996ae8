-- One page of the sync: members of the index KEYS[1] from rank ARGV[1] to ARGV[2] in descending score
-- order. ARGV[3] = now ms, ARGV[4] = cap ms, ARGV[5] = longest name, ARGV[6] = key prefix or empty.
-- Returns a flag (1: the page was full and still live, read on; 0: done), then name and field of each
-- member: with an empty prefix the field is the score (a score beyond the cap is sent as the cap);
-- else the first 64 bytes (DenylistSync.VALUE_BYTES; GETRANGE's end is inclusive) of the key prefix +
-- name (no stored value is longer), members whose key is gone or holds another type left out. Stops at
-- the first member already past. Names longer than the longest are not sent: whatever was written
-- under the prefix, a page costs this node a bounded amount of memory.
local page = redis.pcall('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
local out = {0}
if type(page) ~= 'table' or page.err then return out end
local now, cap, longest, kp = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
for i = 1, #page, 2 do
  local m, s = page[i], tonumber(page[i + 1])
  if not s or s <= now then return out end
  if #m <= longest then
    if kp == '' then
      out[#out + 1] = m
      out[#out + 1] = s > cap and ARGV[4] or page[i + 1]
    else
      local v = redis.pcall('GETRANGE', kp .. m, 0, 63)
      if type(v) == 'string' and #v > 0 then
        out[#out + 1] = m
        out[#out + 1] = v
      end
    end
  end
end
if #page == 2 * (tonumber(ARGV[2]) - tonumber(ARGV[1]) + 1) then out[1] = 1 end
return out
