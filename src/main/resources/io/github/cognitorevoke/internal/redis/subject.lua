-- Writes a subject's cut-off; runs after index.lua.
-- KEYS[1] = P s:sub, KEYS[2] = P subjects; ARGV = notBefore (s), untilMs, channel, sub, capMs, endedMs.
-- Keeps the later of each field as written and indexes the until (strings: no float formatting of
-- large numbers in Lua). A key that holds no string or a field beyond capMs is replaced, as in id.lua.
local nb, u = ARGV[1], ARGV[2]
local cur = redis.pcall('GET', KEYS[1])
if type(cur) == 'string' then
  local cnb, cu = string.match(cur, '^(-?%d+) (%d+)$')
  if cnb and tonumber(cu) <= tonumber(ARGV[5]) and tonumber(cnb) * 1000 <= tonumber(ARGV[5]) then
    local keepNb = tonumber(cnb) >= tonumber(nb)
    local keepU = tonumber(cu) >= tonumber(u)
    if keepNb and keepU then return 0 end
    if keepNb then nb = cnb end
    if keepU then u = cu end
  end
end
local v = nb .. ' ' .. u
redis.call('SET', KEYS[1], v, 'PXAT', u)
index(KEYS[2], u, ARGV[4], ARGV[6], ARGV[5])
redis.call('PUBLISH', ARGV[3], 's ' .. v .. ' ' .. ARGV[4])
return 1
