-- The start of both denylist write scripts: index(idx, score, member, endedMs, capMs) raises the
-- member's score (ZADD GT: a score never drops, so no member still to be read by a sync moves up past
-- it, see DenylistSync), removes the members that ended by endedMs (only those that ended since the
-- last write: bounded work) and gives the index the expiry of its latest member, at most capMs (a
-- member planted far ahead must not keep the index forever). An index of another type is replaced,
-- as the entry keys are.
local function index(idx, score, member, ended, cap)
  if type(redis.pcall('ZADD', idx, 'GT', score, member)) ~= 'number' then
    redis.call('DEL', idx)
    redis.call('ZADD', idx, score, member)
  end
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', ended)
  local top = redis.call('ZREVRANGE', idx, 0, 0, 'WITHSCORES')[2]
  if top then
    local at = math.max(math.min(tonumber(top), tonumber(cap)), tonumber(score))
    redis.call('PEXPIREAT', idx, string.format('%.0f', at))
  end
end
