#!/usr/bin/env bash
# Load benchmark (issue 6, "Load, measured"): an example-like WAR on a real WildFly 39, with and
# without RevocationFilter, driven by wrk. See BENCHMARKS.md. The WAR (bench/war): a JAX-RS
# resource, GET /api/hello, that verifies the bearer token locally with Nimbus against the JWKS of
# the Cognito wire stub (bench/LoadTokens.java), as examples/ does; a first filter echoes the
# request's X-Idx header so bench/load.lua can classify every answer.
#
#   bench/load.sh                 5 + 5 alternating runs of DURATION (default 60s) each
#   RUNS=1 DURATION=20s bench/load.sh   a quick try
#   TIER=1 bench/load.sh          issue 7: both WARs have the filter; "shared" also shares its denylist
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
HTTP_PORT=$((8080 + OFFSET))
MGMT_PORT=$((9990 + OFFSET))
WILDFLY_VERSION=39.0.1.Final
out=$root/target/bench/load
wf=$out/wildfly-$WILDFLY_VERSION
if [[ $TIER == 1 ]]; then a=shared; b=local; la="filter + shared tier (Redis)"; lb="filter, node-local denylist"
else a=with; b=without; la="with RevocationFilter"; lb="without"; fi
lettuce_groups=io.lettuce,io.netty,io.projectreactor,redis.clients.authentication

pids=()
cleanup() {
  # Stop what this script started, by PID, whatever happened.
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need() {
  if ! command -v "$1" >/dev/null; then
    echo "== installing $2"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  fi
}
need wrk wrk
need gnuplot gnuplot-nox
need curl curl

rm -rf "$out/with" "$out/without" "$out/shared" "$out/local" "$out"/*.war "$out"/*.txt "$out"/*.log "$out/cognito.env" "$out/plot.dat"
mkdir -p "$out"

echo "== build: library jar, its runtime dependencies, test classpath, WildFly $WILDFLY_VERSION"
mvn -B -ntp -q -DskipTests -Dmaven.javadoc.skip=true package
rm -rf "$out/war-lib" "$out/war-lib-lettuce"
mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DexcludeGroupIds=$lettuce_groups \
  -DoutputDirectory="$out/war-lib"
mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DincludeGroupIds=$lettuce_groups \
  -DoutputDirectory="$out/war-lib-lettuce"
mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/test-cp.txt"
if [[ ! -x $wf/bin/standalone.sh ]]; then
  # The same zip the integration tests unpack, fetched into the local repository, then unzipped here.
  mvn -B -ntp -q dependency:get -Dartifact="org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip" -Dtransitive=false
  repo=${MAVEN_REPO:-$HOME/.m2/repository}
  unzip -q -o "$repo/org/wildfly/wildfly-dist/$WILDFLY_VERSION/wildfly-dist-$WILDFLY_VERSION.zip" -d "$out"
fi
library=$(ls target/cognito-revoke-*.jar | grep -v -- '-tests\|-sources\|-javadoc' | head -1)
test_cp="target/test-classes:target/classes:$(cat "$out/test-cp.txt")"

echo "== Cognito stub and $TOKENS tokens"
java -cp "$test_cp" bench/LoadTokens.java "$out" "$TOKENS" > "$out/stub.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do [[ -f $out/cognito.env ]] && grep -q READY "$out/stub.log" && break; sleep 1; done
[[ -f $out/cognito.env ]] || { echo "the stub did not start"; cat "$out/stub.log"; exit 1; }
# shellcheck disable=SC1091
source "$out/cognito.env"

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
for variant in $a $b; do
  dir=$out/$variant
  mkdir -p "$dir/WEB-INF/classes" "$dir/WEB-INF/lib"
  javac -d "$dir/WEB-INF/classes" -cp "$(cat "$out/test-cp.txt")" bench/war/io/github/cognitorevoke/bench/*.java
  if [[ $variant != without ]]; then
    cp "$library" "$out"/war-lib/*.jar "$dir/WEB-INF/lib/"
    redis=""
    if [[ $variant == shared ]]; then
      cp "$out"/war-lib-lettuce/*.jar "$dir/WEB-INF/lib/"
      redis="<init-param><param-name>redisUri</param-name><param-value>redis://127.0.0.1:$REDIS_PORT</param-value></init-param>"
    fi
    revocation_filter="  <filter>
    <filter-name>cognito-revoke</filter-name>
    <filter-class>io.github.cognitorevoke.RevocationFilter</filter-class>
    <init-param><param-name>region</param-name><param-value>$COGNITO_REGION</param-value></init-param>
    <init-param><param-name>userPoolId</param-name><param-value>$COGNITO_USER_POOL_ID</param-value></init-param>
    <init-param><param-name>clientId</param-name><param-value>$COGNITO_CLIENT_ID</param-value></init-param>
    <init-param><param-name>endpoint</param-name><param-value>$COGNITO_ENDPOINT</param-value></init-param>
    <init-param><param-name>issuer</param-name><param-value>$COGNITO_ISSUER</param-value></init-param>
    <init-param><param-name>jwksUri</param-name><param-value>$COGNITO_JWKS_URI</param-value></init-param>
    <init-param><param-name>logoutPaths</param-name><param-value>/logout</param-value></init-param>
    $redis
  </filter>
  <filter-mapping><filter-name>cognito-revoke</filter-name><url-pattern>/*</url-pattern></filter-mapping>"
  else
    # The same application without the library: only Nimbus, which the application uses itself.
    cp "$out"/war-lib/nimbus-jose-jwt-*.jar "$dir/WEB-INF/lib/"
    revocation_filter=""
  fi
  cat > "$dir/WEB-INF/web.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <context-param><param-name>issuer</param-name><param-value>$COGNITO_ISSUER</param-value></context-param>
  <context-param><param-name>jwksUri</param-name><param-value>$COGNITO_JWKS_URI</param-value></context-param>
  <!-- first in the chain: echo the token number, also on a 401 from RevocationFilter -->
  <filter><filter-name>echo-index</filter-name><filter-class>io.github.cognitorevoke.bench.EchoIndexFilter</filter-class></filter>
  <filter-mapping><filter-name>echo-index</filter-name><url-pattern>/*</url-pattern></filter-mapping>
$revocation_filter
</web-app>
XML
  (cd "$dir" && jar -cf "$out/$variant.war" .)
done

echo "== WildFly on port $HTTP_PORT (offset $OFFSET)"
rm -rf "$wf/standalone/deployments/"*.war* "$wf/standalone/data" "$wf/standalone/tmp" "$wf/standalone/log"
cp "$out/$a.war" "$out/$b.war" "$wf/standalone/deployments/"
JAVA_OPTS="-Xms1g -Xmx1g -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true -Djboss.modules.system.pkgs=org.jboss.byteman" \
  "$wf/bin/standalone.sh" -Djboss.socket.binding.port-offset=$OFFSET -b 127.0.0.1 -bmanagement 127.0.0.1 \
  > "$out/wildfly.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do
  [[ -f $wf/standalone/deployments/$a.war.deployed && -f $wf/standalone/deployments/$b.war.deployed ]] && break
  if ls "$wf/standalone/deployments/"*.failed >/dev/null 2>&1; then echo "deployment failed"; tail -50 "$out/wildfly.log"; exit 1; fi
  sleep 1
done
[[ -f $wf/standalone/deployments/$a.war.deployed ]] || { echo "WildFly did not deploy the WARs"; tail -50 "$out/wildfly.log"; exit 1; }
# standalone.sh runs java as a child: remember that PID too, so the trap stops the server itself.
java_pid=$(pgrep -P "${pids[-1]}" java || true)
[[ -n $java_pid ]] && pids+=("$java_pid")

base=http://127.0.0.1:$HTTP_PORT
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
