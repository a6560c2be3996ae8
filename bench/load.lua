-- wrk script for bench/load.sh. Environment:
--   BENCH_TOKENS   file with lines "index access-token refresh-token"
--   BENCH_REVOKED  file with the revoked indexes, one a line
--   BENCH_FILTER   "1": revoked tokens must get 401 (the WAR with RevocationFilter);
--                  "0": every token must get 200 (the WAR without it)
--   BENCH_RESULT   file the counts are appended to, as one line of key=value pairs
--   BENCH_VARIANT  the WAR's name, written into that line
-- Each request carries one token, chosen uniformly, and its index in X-Idx; the WAR echoes X-Idx
-- in the answer, so every response is classified, not a sample.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local tokens = {}
local revoked = {}
local count = 0
local filter = os.getenv("BENCH_FILTER") == "1"

live_ok, revoked_ok, wrong, unmatched = 0, 0, 0, 0

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    local i, access = line:match("^(%d+) (%S+)")
    tokens[tonumber(i)] = access
    count = count + 1
  end
  for line in io.lines(os.getenv("BENCH_REVOKED")) do
    revoked[tonumber(line)] = true
  end
  -- distinct sequences per thread
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  local i = math.random(0, count - 1)
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. tokens[i], ["X-Idx"] = tostring(i) }, nil)
end

function response(status, headers, body)
  local idx = headers["X-Idx"] or headers["x-idx"]
  if idx == nil then
    unmatched = unmatched + 1
    wrong = wrong + 1
    return
  end
  local i = tonumber(idx)
  if filter and revoked[i] then
    if status == 401 then revoked_ok = revoked_ok + 1 else wrong = wrong + 1 end
  else
    if status == 200 then live_ok = live_ok + 1 else wrong = wrong + 1 end
  end
end

function done(summary, latency, requests)
  local l, r, w, u = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    l = l + t:get("live_ok")
    r = r + t:get("revoked_ok")
    w = w + t:get("wrong")
    u = u + t:get("unmatched")
  end
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout
  local rps = summary.requests / (summary.duration / 1e6)
  local line = string.format(
    "variant=%s filter=%s requests=%d responses=%d live_ok=%d revoked_ok=%d wrong=%d unmatched=%d socket_errors=%d rps=%.1f p50_us=%d p99_us=%d",
    os.getenv("BENCH_VARIANT") or "?", filter and 1 or 0, summary.requests, l + r + w, l, r, w, u, errors, rps,
    latency:percentile(50), latency:percentile(99))
  print(line)
  local f = io.open(os.getenv("BENCH_RESULT"), "a")
  f:write(line, "\n")
  f:close()
end
