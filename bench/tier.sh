#!/usr/bin/env bash
# The shared tier's figures (issue 7) for BENCHMARKS.md, against a real redis-server 6.2 that the
# benchmark starts and stops by PID (io.github.cognitorevoke.jmh.SharedTierBenchmark):
#   - propagation: node A writes RATE entries a second for SECONDS; the time until node B's local
#     check sees each one (HdrHistogram p50/p99/max); goal p99 <= 10 ms; plot bench/propagation.png
#   - start-up sync of a new node at 100 k and 1 M live entries, and the heap it retains; goal 1 M <= 5 s
# (Request throughput with and without the tier: TIER=1 bench/load.sh.)
#
#   bench/tier.sh                           RATE=200 RUN_SECONDS=60
#   RATE=200 RUN_SECONDS=10 bench/tier.sh   a quick try
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
RATE=${RATE:-200}
RUN_SECONDS=${RUN_SECONDS:-60}
out=target/bench/tier
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need gnuplot gnuplot-nox

echo "== compile (profile jmh)"
mvn -B -ntp -q -Pjmh test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat "$out/cp.txt")"
main=io.github.cognitorevoke.jmh.SharedTierBenchmark

echo "== propagation: $RATE writes/s for $RUN_SECONDS s"
java -Xmx512m -cp "$cp" -Dredis.dir="$out/redis" $main propagation "$RATE" "$RUN_SECONDS" "$out/propagation.hgrm" \
  | tee "$out/propagation.txt"

for n in 100000 1000000; do
  echo "== start-up sync: $n entries"
  java -Xmx2g -Xms2g -cp "$cp" -Dredis.dir="$out/redis" $main sync "$n" | tee "$out/sync-$n.txt"
done

# HdrHistogram's percentile distribution: value (ms), percentile, count, 1/(1-percentile)
awk '/^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+$/ {print $1, $4}' "$out/propagation.hgrm" > "$out/propagation.dat"
gnuplot -e "dat='$out/propagation.dat'; png='$root/bench/propagation.png'; title='node A write -> node B check, $RATE/s for $RUN_SECONDS s, loopback, Redis 6.2'" bench/propagation.gp
echo "plot: bench/propagation.png"

python3 - "$out/propagation.txt" "$out/sync-1000000.txt" <<'PY'
import re, sys
p = open(sys.argv[1]).read()
p99 = float(re.search(r"p99 ([0-9.]+) ms", p).group(1))
s = open(sys.argv[2]).read()
t = float(re.search(r"in sync ([0-9.]+) s", s).group(1))
ok = True
for cond, text in ((p99 <= 10, f"propagation p99 {p99:.3f} ms (goal <= 10 ms)"),
                   (t <= 5, f"start-up sync of 1 M entries {t:.2f} s (goal <= 5 s)")):
    print(("PASS: " if cond else "FAIL: ") + text)
    ok &= cond
sys.exit(0 if ok else 1)
PY
