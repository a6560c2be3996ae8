#!/usr/bin/env bash
# Hostile headers on a real WildFly 39 (BENCHMARKS.md, "Hostile headers"): one unauthenticated GET
# whose Authorization header, Cookie header (the configured accessTokenCookie) or query string is a
# text of SIZE characters of each shape of io.github.cognitorevoke.jmh.HostileHeaders, to the
# example-like WAR (bench/war, as bench/load.sh builds it) with RevocationFilter. The request asks
# for a static file, so the application's own token check is not in the figure: only the container
# and the filter are. One keep-alive connection, one request at a time: WARMUP untimed, then N timed
# (wall time from the client, loopback). Prints median and p90 per shape and place and the ratio of
# the median to the plain shape's in the same place.
#
#   bench/hostile.sh                       SIZE=1048576 N=20 WARMUP=10 (about 17 minutes before the fix)
#   N=10 WARMUP=5 bench/hostile.sh         the recorded run: about 9 minutes before the fix
#   SIZE=65536 N=10 WARMUP=5 bench/hostile.sh   a quick try
#
# The provisioned copy of WildFly (target/bench/hostile/, this script's alone) gets Undertow's
# max-header-size raised to MAX_HEADER (default 4 MiB; WildFly's default, 1 MiB, counts the request
# line and every header, so a 1 MiB header or query is refused with it). If a place still refuses SIZE,
# the client halves the size until the plain text is accepted and says so; the table gives the size.
# Exits non-zero if any shape's median exceeds 3x plain's in the same place, or a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

SIZE=${SIZE:-1048576}
N=${N:-20}
WARMUP=${WARMUP:-10}
MAX_HEADER=${MAX_HEADER:-4194304}
# clear of the ITs (100, 400, 500, 600), bench/load.sh (300) and bench/tier.sh (700, 800)
OFFSET=${OFFSET:-900}
out=$root/target/bench/hostile
# shellcheck source=bench/wildfly.sh
source bench/wildfly.sh

need curl curl
rm -rf "$out/hostile" "$out"/*.war "$out"/*.txt "$out"/*.log "$out/cognito.env"
mkdir -p "$out/hostile"

build -Pjmh
start_stub 1

echo "== WAR: /hostile (RevocationFilter, accessTokenCookie=session) with a static /ping.txt"
echo pong > "$out/hostile/ping.txt"
make_war hostile filter "<init-param><param-name>accessTokenCookie</param-name><param-value>session</param-value></init-param>"

echo "== Undertow max-header-size=$MAX_HEADER on the provisioned copy"
cat > "$out/max-header.cli" <<CLI
embed-server --std-out=discard --server-config=standalone.xml
/subsystem=undertow/server=default-server/http-listener=default:write-attribute(name=max-header-size,value=$MAX_HEADER)
stop-embedded-server
CLI
"$wf/bin/jboss-cli.sh" --file="$out/max-header.cli" > "$out/cli.log" 2>&1 || { cat "$out/cli.log"; exit 1; }

start_wildfly hostile

echo "== checks: a revoked token gets 401 in each place, the static file 200 without one"
read -r _ access refresh < "$out/tokens.txt"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/hostile/logout" \
  -H "Authorization: Bearer $access" --data-urlencode "refresh_token=$refresh")
[[ $code == 204 ]] || { echo "logout answered $code"; exit 1; }
revoked_in() { # $1 = the place's name; then curl's options that put the token there
  local what=$1 code
  shift
  code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$base/hostile/ping.txt")
  [[ $code == 401 ]] || { echo "a revoked token in $what got $code, not 401"; exit 1; }
}
revoked_in Authorization -H "Authorization: Bearer $access"
revoked_in Cookie -H "Cookie: session=$access"
revoked_in "the query" -G --data-urlencode "access_token=$access"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/hostile/ping.txt")
[[ $code == 200 ]] || { echo "/hostile/ping.txt answered $code"; exit 1; }

echo "== $SIZE characters, each shape and place: $WARMUP untimed then $N timed requests"
java -cp "$test_cp" io.github.cognitorevoke.jmh.HostileHeaders 127.0.0.1 "$HTTP_PORT" /hostile/ping.txt \
  "$SIZE" "$N" "$WARMUP" "$out/results.txt"

echo "== ratios to plain (median, ms)"
python3 bench/hostile_report.py server "$out/results.txt"
