# Sourced by bench/load.sh and bench/hostile.sh: the build, a WildFly of their own, the Cognito wire
# stub and the example-like WAR (bench/war). The caller sets root, out (its own directory: the WildFly
# copy unzipped there is its alone to configure) and OFFSET (the port offset), then calls, in order:
#   build [mvn options]          library jar, its runtime jars (war-lib, war-lib-lettuce), test classpath, WildFly
#   start_stub TOKENS [CALLBACK] the Cognito stub with TOKENS signed-in users: cognito.env sourced, tokens.txt;
#                                with CALLBACK, also an OpenID Connect provider for it (bench/LoadTokens.java)
#   make_war NAME FILTER [XML] [DIR] [WEBXML]   $out/NAME.war; FILTER is "filter" (RevocationFilter, with the
#                                extra init-param XML and the jars of DIR) or "nofilter"; WEBXML goes into
#                                web.xml as it is (a login-config, a constraint); files the caller put in
#                                $out/NAME beforehand go into the WAR too
#   start_wildfly NAME...        deploys those WARs and waits until they are
# Everything started is stopped by PID when the caller exits, whatever the outcome.

WILDFLY_VERSION=39.0.1.Final
wf=$out/wildfly-$WILDFLY_VERSION
HTTP_PORT=$((8080 + OFFSET))
MGMT_PORT=$((9990 + OFFSET))
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

build() {
  echo "== build: library jar, its runtime dependencies, test classpath, WildFly $WILDFLY_VERSION"
  mvn -B -ntp -q -DskipTests -Dmaven.javadoc.skip=true "$@" package
  rm -rf "$out/war-lib" "$out/war-lib-lettuce"
  mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DexcludeGroupIds=$lettuce_groups \
    -DoutputDirectory="$out/war-lib"
  mvn -B -ntp -q dependency:copy-dependencies -DincludeScope=runtime -DincludeGroupIds=$lettuce_groups \
    -DoutputDirectory="$out/war-lib-lettuce"
  mvn -B -ntp -q "$@" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/test-cp.txt"
  if [[ ! -x $wf/bin/standalone.sh ]]; then
    # The same zip the integration tests unpack, fetched into the local repository, then unzipped here.
    mvn -B -ntp -q dependency:get -Dartifact="org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip" -Dtransitive=false
    local repo=${MAVEN_REPO:-$HOME/.m2/repository}
    unzip -q -o "$repo/org/wildfly/wildfly-dist/$WILDFLY_VERSION/wildfly-dist-$WILDFLY_VERSION.zip" -d "$out"
  fi
  library=$(ls target/cognito-revoke-*.jar | grep -v -- '-tests\|-sources\|-javadoc' | head -1)
  test_cp="target/test-classes:target/classes:$(cat "$out/test-cp.txt")"
}

start_stub() {
  echo "== Cognito stub and $1 tokens"
  rm -f "$out/cognito.env"
  java -cp "$test_cp" bench/LoadTokens.java "$out" "$1" ${2:+"$2"} > "$out/stub.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do [[ -f $out/cognito.env ]] && grep -q READY "$out/stub.log" && break; sleep 1; done
  [[ -f $out/cognito.env ]] || { echo "the stub did not start"; cat "$out/stub.log"; exit 1; }
  # shellcheck disable=SC1091
  source "$out/cognito.env"
}

make_war() {
  local name=$1 filter=$2 extra=${3:-} jars=${4:-} webxml=${5:-}
  local dir=$out/$name revocation_filter=""
  mkdir -p "$dir/WEB-INF/classes" "$dir/WEB-INF/lib"
  javac -d "$dir/WEB-INF/classes" -cp "$(cat "$out/test-cp.txt")" bench/war/io/github/cognitorevoke/bench/*.java
  if [[ $filter == filter ]]; then
    cp "$library" "$out"/war-lib/*.jar "$dir/WEB-INF/lib/"
    [[ -n $jars ]] && cp "$jars"/*.jar "$dir/WEB-INF/lib/"
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
    $extra
  </filter>
  <filter-mapping><filter-name>cognito-revoke</filter-name><url-pattern>/*</url-pattern></filter-mapping>"
  else
    # The same application without the library: only Nimbus, which the application uses itself.
    cp "$out"/war-lib/nimbus-jose-jwt-*.jar "$dir/WEB-INF/lib/"
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
$webxml
</web-app>
XML
  (cd "$dir" && jar -cf "$out/$name.war" .)
}

start_wildfly() {
  # Another run (another worktree, a test suite) may hold the ports: wait for it, never stop it.
  for _ in $(seq 1 60); do
    ss -ltn "( sport = :$HTTP_PORT or sport = :$MGMT_PORT )" | grep -q LISTEN || break
    echo "port $HTTP_PORT or $MGMT_PORT busy; waiting"
    sleep 10
  done
  echo "== WildFly on port $HTTP_PORT (offset $OFFSET)"
  rm -rf "$wf/standalone/deployments/"*.war* "$wf/standalone/data" "$wf/standalone/tmp" "$wf/standalone/log"
  local name
  for name in "$@"; do cp "$out/$name.war" "$wf/standalone/deployments/"; done
  JAVA_OPTS="-Xms1g -Xmx1g -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true -Djboss.modules.system.pkgs=org.jboss.byteman" \
    "$wf/bin/standalone.sh" -Djboss.socket.binding.port-offset=$OFFSET -b 127.0.0.1 -bmanagement 127.0.0.1 \
    > "$out/wildfly.log" 2>&1 &
  pids+=($!)
  local deployed
  for _ in $(seq 1 180); do
    deployed=1
    for name in "$@"; do [[ -f $wf/standalone/deployments/$name.war.deployed ]] || deployed=0; done
    [[ $deployed == 1 ]] && break
    if ls "$wf/standalone/deployments/"*.failed >/dev/null 2>&1; then echo "deployment failed"; tail -50 "$out/wildfly.log"; exit 1; fi
    sleep 1
  done
  [[ $deployed == 1 ]] || { echo "WildFly did not deploy the WARs"; tail -50 "$out/wildfly.log"; exit 1; }
  # standalone.sh runs java as a child: remember that PID too, so the trap stops the server itself.
  java_pid=$(pgrep -P "${pids[-1]}" java || true)
  [[ -n $java_pid ]] && pids+=("$java_pid")
  base=http://127.0.0.1:$HTTP_PORT
}
