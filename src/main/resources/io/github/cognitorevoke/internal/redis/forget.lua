-- Drops an id from this node's set, and its entry too when KEYS[2] is given.
-- KEYS: mine, and the entry if it is to go too. ARGV: id.
redis.call('SREM', KEYS[1], ARGV[1])
if KEYS[2] then redis.call('DEL', KEYS[2]) end
return 1
