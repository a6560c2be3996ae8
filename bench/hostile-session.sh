#!/usr/bin/env bash
# Hostile queries on a revoked session's navigation, on a real WildFly 39 (BENCHMARKS.md, "Hostile
# headers"): a browser's page load (Sec-Fetch-Mode: navigate) whose caller elytron-oidc-client still
# knows (its cookie token store) but whose access token was logged out. RevocationFilter ends the
# session and answers 303 (or 401 with Refresh) to an address built from the whole query
# (Navigation.again); the query is a text of SIZE characters of each shape of
# io.github.cognitorevoke.jmh.HostileNavigation. The client signs in once through the server's login
# against the Cognito stub's managed login, logs the access token out through the filter, then sends
# the same token cookie with each query: one keep-alive connection, one request at a time, WARMUP
# untimed then N timed (wall time from the client, loopback). Prints median and p90 per shape and the
# ratio of the median to the plain shape's on the same path.
#
#   N=10 WARMUP=5 bench/hostile-session.sh          the recorded run
#   SIZE=65536 N=5 WARMUP=2 bench/hostile-session.sh   a quick try
#
# The provisioned copy of WildFly (target/bench/hostile-session/, this script's alone) gets Undertow's
# max-header-size raised to MAX_HEADER (4 MiB), as bench/hostile.sh does, and its max-parameters to
# MAX_PARAMETERS (default 2000000). WildFly's own max-parameters, 1000, makes Undertow answer 400 to a
# query of more parameters before any filter runs; raised, every shape reaches Navigation.again.
# MAX_PARAMETERS=1000 measures WildFly as it comes. The login ignores an access_token in the query
# ("ignore-oauth-query-parameter"): by default elytron-oidc-client reads it as a bearer token and
# answers 401 itself to one that does not verify, so the shapes of bench/hostile.sh (each an
# access_token= parameter) would never reach the filter.
# Exits non-zero if a check fails (a live session's plain query is not served, the revoked session's
# plain query is not sent to sign in again) or any shape's median exceeds 3x plain's.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

SIZE=${SIZE:-1048576}
N=${N:-10}
WARMUP=${WARMUP:-5}
MAX_HEADER=${MAX_HEADER:-4194304}
MAX_PARAMETERS=${MAX_PARAMETERS:-2000000}
# clear of the ITs (100, 400, 500, 600), bench/load.sh (300), bench/tier.sh (700, 800), bench/hostile.sh (900)
OFFSET=${OFFSET:-1000}
out=$root/target/bench/hostile-session
# shellcheck source=bench/wildfly.sh
source bench/wildfly.sh

rm -rf "$out/navigation" "$out"/*.war "$out"/*.txt "$out"/*.refused "$out"/*.log "$out/cognito.env"
mkdir -p "$out/navigation/WEB-INF"

build -Pjmh
page=/navigation/ping.txt
start_stub 1 "http://127.0.0.1:$HTTP_PORT$page"

echo "== WAR: /navigation, elytron-oidc-client (cookie token store) on the stub, RevocationFilter, a constrained static $page"
echo pong > "$out/navigation/ping.txt"
cat > "$out/navigation/WEB-INF/oidc.json" <<JSON
{
  "client-id": "$COGNITO_CLIENT_ID",
  "provider-url": "$COGNITO_PROVIDER_URL",
  "ssl-required": "NONE",
  "principal-attribute": "cognito:username",
  "token-store": "cookie",
  "ignore-oauth-query-parameter": true,
  "credentials": {"secret": "$COGNITO_CLIENT_SECRET"}
}
JSON
make_war navigation filter \
  "<init-param><param-name>clientSecret</param-name><param-value>$COGNITO_CLIENT_SECRET</param-value></init-param>" "" \
  "  <security-constraint>
    <web-resource-collection><web-resource-name>page</web-resource-name><url-pattern>/ping.txt</url-pattern></web-resource-collection>
    <auth-constraint><role-name>**</role-name></auth-constraint>
  </security-constraint>
  <login-config><auth-method>OIDC</auth-method></login-config>"

echo "== Undertow max-header-size=$MAX_HEADER, max-parameters=$MAX_PARAMETERS on the provisioned copy"
cat > "$out/limits.cli" <<CLI
embed-server --std-out=discard --server-config=standalone.xml
/subsystem=undertow/server=default-server/http-listener=default:write-attribute(name=max-header-size,value=$MAX_HEADER)
/subsystem=undertow/server=default-server/http-listener=default:write-attribute(name=max-parameters,value=$MAX_PARAMETERS)
stop-embedded-server
CLI
"$wf/bin/jboss-cli.sh" --file="$out/limits.cli" > "$out/cli.log" 2>&1 || { cat "$out/cli.log"; exit 1; }

start_wildfly navigation

echo "== sign in, checks, then $SIZE characters of each shape: $WARMUP untimed then $N timed requests"
java -cp "$test_cp" io.github.cognitorevoke.jmh.HostileNavigation 127.0.0.1 "$HTTP_PORT" "$page" /navigation/logout \
  "$SIZE" "$N" "$WARMUP" "$out/results.txt" "$COGNITO_USER" "$COGNITO_PASSWORD"

echo "== ratios to plain on the revoked session's navigation (median, ms)"
grep -v '^live ' "$out/results.txt" > "$out/navigation.txt"
read -r _ _ _ live_median live_p90 < <(grep '^live ' "$out/results.txt")
echo "a live session's plain query of $SIZE characters (served, 200): median $live_median ms, p90 $live_p90 ms"
if [[ -s $out/results.txt.refused ]]; then
  echo "refused by the container (not timed: they never reach the filter):"
  cat "$out/results.txt.refused"
fi
python3 bench/hostile_report.py server "$out/navigation.txt"
