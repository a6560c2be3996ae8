#!/usr/bin/env bash
# Load benchmark: an example-like WAR on a real WildFly 39, with and
# without RevocationFilter, driven by wrk. See BENCHMARKS.md. The WAR (bench/war): a JAX-RS
# resource, GET /api/hello, that verifies the bearer token locally with Nimbus against the JWKS of
# the Cognito wire stub (bench/LoadTokens.java), as examples/ does; a first filter echoes the
# request's X-Idx header so bench/load.lua can classify every answer.
#
#   bench/load.sh                 5 + 5 alternating runs of DURATION (default 60s) each
#   RUNS=1 DURATION=20s bench/load.sh   a quick try
#   TIER=1 bench/load.sh          both WARs have the filter; "shared" also shares its denylist
#                                 through a real redis-server (redisUri), "local" does not. The revoked
#                                 tokens are logged out on both, so both do the same work per request.
#
# Prints the results table (markdown) and PASS/FAIL; exits non-zero on FAIL. PASS needs, over the
# runs with the filter: every revoked token answered 401 and every live one 200 (0 wrong), no
# socket error, >= MIN_REQUESTS requests in all; and median throughput with the filter >= 97 % of
# the median without it. Writes bench/load.png (the plot) and target/bench/load/ (WARs, logs, raw
# results).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

RUNS=${RUNS:-5}
DURATION=${DURATION:-60s}
WARMUP=${WARMUP:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
TOKENS=${TOKENS:-1000}
MIN_REQUESTS=${MIN_REQUESTS:-1000000}
TIER=${TIER:-0}
OFFSET=300
REDIS_PORT=6391
out=$root/target/bench/load
if [[ $TIER == 1 ]]; then a=shared; b=local; la="filter + shared tier (Redis)"; lb="filter, node-local denylist"
else a=with; b=without; la="with RevocationFilter"; lb="without"; fi
# shellcheck source=bench/wildfly.sh
source bench/wildfly.sh

need wrk wrk
need gnuplot gnuplot-nox
need curl curl

rm -rf "$out/with" "$out/without" "$out/shared" "$out/local" "$out"/*.war "$out"/*.txt "$out"/*.log "$out/cognito.env" "$out/plot.dat"
mkdir -p "$out"

build
start_stub "$TOKENS"

if [[ $TIER == 1 ]]; then
  echo "== redis-server 6.2 (from Maven Central's embedded-redis jar) on port $REDIS_PORT"
  repo=${MAVEN_REPO:-$HOME/.m2/repository}
  mvn -B -ntp -q dependency:get -Dartifact=com.github.codemonstur:embedded-redis:1.4.3 -Dtransitive=false
  unzip -p "$repo/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar" \
    redis-server-6.2.6-v5-linux-amd64 > "$out/redis-server"
  chmod +x "$out/redis-server"
  "$out/redis-server" --bind 127.0.0.1 --port $REDIS_PORT --save '' --appendonly no --dir "$out" \
    > "$out/redis.log" 2>&1 &
  pids+=($!)
fi

echo "== WARs: /$a and /$b"
if [[ $TIER == 1 ]]; then
  make_war shared filter "<init-param><param-name>redisUri</param-name><param-value>redis://127.0.0.1:$REDIS_PORT</param-value></init-param>" \
    "$out/war-lib-lettuce"
  make_war local filter
else
  make_war with filter
  make_war without nofilter
fi

start_wildfly $a $b

logout_wars=$a; [[ $TIER == 1 ]] && logout_wars="$a $b"
echo "== logout of 10 % of the tokens through the filter (POST /logout on: $logout_wars)"
: > "$out/revoked.txt"
revoked=0
while read -r idx access refresh; do
  if (( idx % 10 == 3 )); then
    for war in $logout_wars; do
      code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/$war/logout" \
        -H "Authorization: Bearer $access" --data-urlencode "refresh_token=$refresh")
      # the second logout of the same refresh token: Cognito answers it as well (RevokeToken is idempotent)
      [[ $code == 204 ]] || { echo "logout of token $idx on /$war answered $code"; exit 1; }
    done
    echo "$idx" >> "$out/revoked.txt"
    revoked=$((revoked + 1))
  fi
done < "$out/tokens.txt"
echo "revoked $revoked of $TOKENS"
# sanity: one live and one revoked token on each WAR
first_live=$(awk '$1 % 10 != 3 {print $2; exit}' "$out/tokens.txt")
first_revoked=$(awk '$1 % 10 == 3 {print $2; exit}' "$out/tokens.txt")
b_revoked=200; [[ $TIER == 1 ]] && b_revoked=401
for check in "$a $first_live 200" "$a $first_revoked 401" "$b $first_live 200" "$b $first_revoked $b_revoked"; do
  set -- $check
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$base/$1/api/hello")
  [[ $code == "$3" ]] || { echo "sanity: /$1 answered $code, expected $3"; exit 1; }
done

echo "== warm-up: $WARMUP each"
run() { # $1 = the WAR, $2 = duration, $3 = result file
  BENCH_TOKENS=$out/tokens.txt BENCH_REVOKED=$out/revoked.txt BENCH_FILTER=$([[ $1 != without ]] && echo 1 || echo 0) \
  BENCH_VARIANT=$1 \
  BENCH_RESULT=$3 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 10s --latency -s bench/load.lua \
    "$base/$1/api/hello" > "$out/wrk-last.txt"
}
run $a "$WARMUP" "$out/warmup.txt"
run $b "$WARMUP" "$out/warmup.txt"

echo "== $RUNS alternating runs of $DURATION each (order a b, b a, ...), -t$THREADS -c$CONNECTIONS"
for r in $(seq 1 "$RUNS"); do
  # a, b then b, a: a machine still warming up favours neither
  order="$a $b"; (( r % 2 == 0 )) && order="$b $a"
  for variant in $order; do
    run "$variant" "$DURATION" "$out/results.txt"
    echo "run $r $variant: $(tail -1 "$out/results.txt")"
  done
done

echo "== results"
status=0
python3 - "$out/results.txt" "$out/plot.dat" "$MIN_REQUESTS" "$a" "$b" "$la" "$lb" <<'PY' || status=$?
import statistics, sys
rows = [dict(kv.split("=") for kv in line.split()) for line in open(sys.argv[1]) if line.strip()]
def pick(variant): return [r for r in rows if r["variant"] == variant]
w, wo = pick(sys.argv[4]), pick(sys.argv[5])
la, lb = sys.argv[6], sys.argv[7]
def med(rs, k): return statistics.median(float(r[k]) for r in rs)
def tot(rs, k): return sum(int(r[k]) for r in rs)
ratio = med(w, "rps") / med(wo, "rps")
wrong = tot(w, "wrong") + tot(wo, "wrong")
socket = tot(w, "socket_errors") + tot(wo, "socket_errors")
unclassified = sum(int(r["requests"]) - int(r["responses"]) for r in rows)
print("| WAR | runs | requests (all runs) | live → 200 | revoked → 401 | wrong | socket errors | median req/s | median p50 | median p99 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, rs in ((la, w), (lb, wo)):
    print(f"| {name} | {len(rs)} | {tot(rs,'requests'):,} | {tot(rs,'live_ok'):,} | {tot(rs,'revoked_ok'):,} | {tot(rs,'wrong')} "
          f"| {tot(rs,'socket_errors')} | {med(rs,'rps'):,.0f} | {med(rs,'p50_us')/1000:.2f} ms | {med(rs,'p99_us')/1000:.2f} ms |")
print()
print(f"| run | {la}: req/s | {lb}: req/s | {la}: p50 / p99 (ms) | {lb}: p50 / p99 (ms) |")
print("|---:|---:|---:|---:|---:|")
with open(sys.argv[2], "w") as dat:
    for i, (a, b) in enumerate(zip(w, wo), 1):
        print(f"| {i} | {float(a['rps']):,.0f} | {float(b['rps']):,.0f} | {int(a['p50_us'])/1000:.2f} / {int(a['p99_us'])/1000:.2f} "
              f"| {int(b['p50_us'])/1000:.2f} / {int(b['p99_us'])/1000:.2f} |")
        dat.write(f"{i} {a['rps']} {b['rps']} {int(a['p50_us'])/1000} {int(b['p50_us'])/1000} {int(a['p99_us'])/1000} {int(b['p99_us'])/1000}\n")
print()
ok = True
def check(cond, text):
    global ok
    ok &= cond
    print(f"{'PASS' if cond else 'FAIL'}: {text}")
check(wrong == 0, f"wrong decisions: {wrong} (every revoked → 401 and every live → 200 with the filter; every token → 200 without it)")
check(unclassified == 0 and socket == 0, f"every request answered and classified (unclassified {unclassified}, socket errors {socket})")
check(tot(w, "requests") >= int(sys.argv[3]), f"requests on {la}: {tot(w,'requests'):,} (>= {int(sys.argv[3]):,})")
check(tot(w, "revoked_ok") > 0, f"revoked tokens seen on {la}: {tot(w,'revoked_ok'):,}")
check(ratio >= 0.97, f"median throughput {la} / {lb}: {ratio:.3f} (>= 0.97)")
sys.exit(0 if ok else 1)
PY

png=bench/load.png; [[ $TIER == 1 ]] && png=bench/load-tier.png
gnuplot -e "dat='$out/plot.dat'; png='$root/$png'; a='$la'; b='$lb'; title='cognito-revoke on WildFly $WILDFLY_VERSION: wrk -t$THREADS -c$CONNECTIONS, $DURATION a run, $TOKENS tokens (10 % revoked)'" bench/plot.gp
echo "plot: $png"
if [[ $status -ne 0 ]]; then echo FAIL; exit 1; fi
echo PASS
