-- The first 64 bytes (DenylistSync.VALUE_BYTES; GETRANGE's end is inclusive) of each key in KEYS, no
-- stored value being longer; an empty string for a key that is gone or holds another type. The sync
-- reads the subjects' cut-offs with it, one page of keys at a time.
local out = {}
for i = 1, #KEYS do
  local v = redis.pcall('GETRANGE', KEYS[i], 0, 63)
  out[i] = type(v) == 'string' and v or ''
end
return out
