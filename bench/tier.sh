#!/usr/bin/env bash
# The shared tier's figures for BENCHMARKS.md, against a real redis-server 6.2 that the
# benchmark starts and stops by PID (io.github.cognitorevoke.jmh.SharedTierBenchmark):
#   - propagation: node A writes RATE entries a second for SECONDS; the time until node B's local
#     check sees each one (HdrHistogram p50/p99/max); goal p99 <= 10 ms; plot bench/propagation.png
#   - the same end to end on two real WildFly nodes (offsets 700 and 800) sharing that Redis: RATE
#     POST /logout a second on node A for SECONDS; the time until node B answers 401 to a GET with the
#     token (polled, one request at a time, at most once a ms: resolution ~1 ms); goal p99 <= 10 ms, and no
#     token still accepted on B 5 s after its logout; second curve of the plot (single). Run on each of
#     TOPOLOGIES (both nodes given its URI and prefix): e2e-<topology>.txt/.hgrm. Everything (two servers,
#     Redis, stub, load generator) shares this machine's cores: its CPU is part of what this measures.
#   - start-up sync of a new node at 100 k and 1 M live entries, and the heap it retains; goal 1 M <= 5 s
#   - with TOPOLOGIES naming more than single: the in-JVM propagation and the 1 M sync again on each
#     (cluster: three primaries with a replica each, prefix {cognito-revoke}:; sentinel: a primary, two
#     replicas, three Sentinels, redis-sentinel://), and a failover on each: two nodes write RATE entries
#     a second, the primary holding the prefix is SIGKILLed a third of the way in; time until every node
#     is ready and a write is confirmed again; confirmed writes lost (must be 0)
#   - last, a table with the topologies side by side, then PASS/FAIL against the goals
# (Request throughput with and without the tier: TIER=1 bench/load.sh.)
#
#   bench/tier.sh                           RATE=200 RUN_SECONDS=60 TOPOLOGIES=single
#   RATE=200 RUN_SECONDS=10 bench/tier.sh   a quick try
#   TOPOLOGIES="single cluster sentinel" bench/tier.sh         the topologies side by side (E2E=0: without WildFly)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
RATE=${RATE:-200}
RUN_SECONDS=${RUN_SECONDS:-60}
# seconds of warm-up at half the rate before the end-to-end recording (the servers' JIT: with 30 s the
# nodes still compiled during the recording, on the busier topologies most)
E2E_WARMUP=${E2E_WARMUP:-90}
# where Redis runs (SharedTierBenchmark's -Dtier.topology): any of single cluster sentinel
TOPOLOGIES=${TOPOLOGIES:-single}
# 0: skip the two-WildFly end-to-end part (it needs the fixed ports 8780/8880 and this machine's quiet)
E2E=${E2E:-1}
WILDFLY_VERSION=39.0.1.Final
out=target/bench/tier
wf=$out/wildfly-$WILDFLY_VERSION
lettuce_groups=io.lettuce,io.netty,io.projectreactor,redis.clients.authentication
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need gnuplot gnuplot-nox

echo "== build (profile jmh): library jar, test classpath, the WAR's libraries, WildFly $WILDFLY_VERSION"
mvn -B -ntp -q -Pjmh -DskipTests -Dmaven.javadoc.skip=true package dependency:build-classpath \
  -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat "$out/cp.txt")"
if [[ $E2E == 1 ]]; then
  rm -rf "$out/war-lib" "$out/war-lib-lettuce"
  mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DexcludeGroupIds=$lettuce_groups \
    -DoutputDirectory="$out/war-lib"
  mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DincludeGroupIds=$lettuce_groups \
    -DoutputDirectory="$out/war-lib-lettuce"
  library=$(ls target/cognito-revoke-*.jar | grep -v -- '-tests\|-sources\|-javadoc' | head -1)
  if [[ ! -x $wf/bin/standalone.sh ]]; then
    # The same zip the integration tests and bench/load.sh unpack, fetched into the local repository.
    mvn -B -ntp -q dependency:get -Dartifact="org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip" -Dtransitive=false
    repo=${MAVEN_REPO:-$HOME/.m2/repository}
    unzip -q -o "$repo/org/wildfly/wildfly-dist/$WILDFLY_VERSION/wildfly-dist-$WILDFLY_VERSION.zip" -d "$out"
  fi
fi
main=io.github.cognitorevoke.jmh.SharedTierBenchmark

for t in $TOPOLOGIES; do
  suffix=$([[ $t == single ]] || echo "-$t")
  echo "== propagation ($t): $RATE writes/s for $RUN_SECONDS s"
  java -Xmx512m -cp "$cp" -Dredis.dir="$out/redis" -Dtier.topology="$t" $main propagation "$RATE" "$RUN_SECONDS" \
    "$out/propagation$suffix.hgrm" | tee "$out/propagation$suffix.txt"
done

if [[ $E2E == 1 ]]; then
for t in $TOPOLOGIES; do
  echo "== end to end on two WildFly nodes ($t): $RATE POST /logout/s on A for $RUN_SECONDS s, until B answers 401"
  # The benchmark stops the servers and Redis by PID in every outcome (and a shutdown hook kills them).
  java -Xmx1g -cp "$cp" -Dredis.dir="$out/redis" -Dtier.topology="$t" -Dit.wildfly.home="$wf" \
    -Dit.library.jar="$library" -Dit.war-lib.dir="$out/war-lib" -Dit.war-lib-lettuce.dir="$out/war-lib-lettuce" \
    -De2e.dir="$out/e2e-$t" -De2e.warmupSeconds="$E2E_WARMUP" $main e2e "$RATE" "$RUN_SECONDS" "$out/e2e-$t.hgrm" \
    | tee "$out/e2e-$t.txt"
done
fi

for t in $TOPOLOGIES; do
  suffix=$([[ $t == single ]] || echo "-$t")
  for n in $([[ $t == single ]] && echo 100000) 1000000; do
    echo "== start-up sync ($t): $n entries"
    java -Xmx2g -Xms2g -cp "$cp" -Dredis.dir="$out/redis" -Dtier.topology="$t" $main sync "$n" \
      | tee "$out/sync$suffix-$n.txt"
  done
  if [[ $t != single ]]; then
    echo "== failover ($t): $RATE writes/s for 30 s, the primary SIGKILLed after 10 s"
    java -Xmx512m -cp "$cp" -Dredis.dir="$out/redis" -Dtier.topology="$t" $main failover "$RATE" 30 \
      | tee "$out/failover-$t.txt"
  fi
done

# HdrHistogram's percentile distribution: value (ms), percentile, count, 1/(1-percentile)
if [[ $E2E == 1 && " $TOPOLOGIES " == *" single "* ]]; then
  for f in propagation e2e-single; do
    awk '/^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+$/ {print $1, $4}' "$out/$f.hgrm" > "$out/$f.dat"
  done
  gnuplot -e "dat='$out/propagation.dat'; dat2='$out/e2e-single.dat'; png='$root/bench/propagation.png'; title='node A -> node B, $RATE/s for $RUN_SECONDS s, loopback, Redis 6.2, WildFly $WILDFLY_VERSION'" bench/propagation.gp
  echo "plot: bench/propagation.png"
fi

python3 - "$out" "$E2E" $TOPOLOGIES <<'PY'
import re, sys
out, e2e, topologies = sys.argv[1], sys.argv[2] == "1", sys.argv[3:]
checks = []
# rows of the side-by-side table: metric -> {topology: text}
rows = {}
def cell(metric, t, text):
    rows.setdefault(metric, {})[t] = text
for t in topologies:
    sfx = "" if t == "single" else "-" + t
    p99 = float(re.search(r"p99 ([0-9.]+) ms", open(f"{out}/propagation{sfx}.txt").read()).group(1))
    checks.append((p99 <= 10, f"{t}: propagation p99 {p99:.3f} ms (goal <= 10 ms)"))
    cell("propagation A -> B in one JVM, p99", t, f"{p99:.3f} ms")
    if e2e:
        e = open(f"{out}/e2e-{t}.txt").read()
        lat = re.search(r"401 on B: p50 ([0-9.]+) ms +p90 [0-9.]+ ms +p99 ([0-9.]+) ms +p99.9 [0-9.]+ ms +max ([0-9.]+) ms",
                        e).groups()
        e99 = float(lat[1])
        lost = [int(x) for x in re.search(r"failures \(.*?\) ([0-9]+); errors \(.*?\) ([0-9]+)", e).groups()]
        checks.append((e99 <= 10, f"{t}: two WildFly nodes, POST /logout on A -> 401 on B: p99 {e99:.3f} ms (goal <= 10 ms)"))
        checks.append((lost == [0, 0], f"{t}: two WildFly nodes: {lost[0]} tokens still accepted on B after 5 s,"
                       f" {lost[1]} errors (must be 0)"))
        cell("two WildFly nodes, logout on A -> 401 on B, p50", t, f"{float(lat[0]):.3f} ms")
        cell("two WildFly nodes, logout on A -> 401 on B, p99", t, f"{e99:.3f} ms")
        cell("two WildFly nodes, logout on A -> 401 on B, max", t, f"{float(lat[2]):.3f} ms")
        cell("two WildFly nodes: still accepted after 5 s / errors", t, f"{lost[0]} / {lost[1]}")
    s = float(re.search(r"in sync ([0-9.]+) s", open(f"{out}/sync{sfx}-1000000.txt").read()).group(1))
    checks.append((s <= 5, f"{t}: start-up sync of 1 M entries {s:.2f} s (goal <= 5 s)"))
    cell("start-up sync, 1 M entries", t, f"{s:.2f} s")
    if t != "single":
        f = open(f"{out}/failover-{t}.txt").read()
        lost = int(re.search(r"confirmed writes lost \(.*?\) ([0-9]+)", f).group(1))
        ready = re.search(r"every node ready ([0-9-]+) ms after the kill; first write sent after the kill"
                          r" confirmed ([0-9-]+) ms", f).groups()
        checks.append((lost == 0, f"{t}: failover: every node ready {ready[0]} ms and a write confirmed"
                       f" {ready[1]} ms after the kill; confirmed writes lost {lost} (must be 0)"))
        cell("failover: every node ready after the kill", t, f"{ready[0]} ms")
        cell("failover: a write confirmed again after the kill", t, f"{ready[1]} ms")
        cell("failover: confirmed writes lost", t, str(lost))
print()
print("| | " + " | ".join(topologies) + " |")
print("|---|" + "---|" * len(topologies))
for metric, by in rows.items():
    print(f"| {metric} | " + " | ".join(by.get(t, "-") for t in topologies) + " |")
print()
ok = True
for cond, text in checks:
    print(("PASS: " if cond else "FAIL: ") + text)
    ok &= cond
sys.exit(0 if ok else 1)
PY
