package io.github.cognitorevoke.testing;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wire side of {@link CognitoStub}: a JDK {@code HttpServer} on 127.0.0.1 that speaks AWS JSON
 * 1.1 ({@code POST /}, {@code X-Amz-Target} dispatch, {@code __type} error bodies) and serves the
 * JWKS, applying the injected faults before the user pool sees a RevokeToken call; the managed-login
 * paths ({@code /logout}, {@code /error}) go to {@link ManagedLoginServer}.
 */
final class AwsJsonServer {

    private static final System.Logger LOG = System.getLogger(CognitoStub.class.getName());
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    // makes "take the next fault, apply it, record the call" one step: calls are recorded in the
    // order their faults were taken
    private final Object revokeLock = new Object();

    // set once by start(), before the server accepts its first exchange
    private String jwksPath;
    private UserPool pool;
    private StubKeys keys;
    private FaultInjector faults;
    private RevokeLog revokeLog;
    private ManagedLoginServer managedLogin;
    private OAuthServer oauth;
    private String discoveryPath;
    private String userPoolId;
    private final List<AdminCall> adminCalls = new CopyOnWriteArrayList<>();

    /** Binds a random loopback port; nothing is served until {@link #start}. */
    AwsJsonServer() {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        int serverNumber = SERVER_COUNT.incrementAndGet();
        AtomicInteger threadCount = new AtomicInteger();
        ThreadFactory threads = r -> {
            // daemon: a test that forgets close() must not keep the JVM alive
            Thread t = new Thread(r, "cognito-stub-" + serverNumber + "-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // a pool, not a single thread: delayed calls must not hold up the others
        this.executor = Executors.newCachedThreadPool(threads);
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            this.server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot bind the Cognito stub to 127.0.0.1", e);
        }
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@code http://127.0.0.1:<port>}, known once bound: the issuer is built from it. */
    URI endpoint() {
        return endpoint;
    }

    /** Starts serving the pool's API on {@code /}, its JWKS on {@code jwksPath}, and its managed login. */
    void start(String userPoolId, UserPool pool, StubKeys keys, FaultInjector faults, RevokeLog revokeLog,
               ManagedLoginServer managedLogin, OAuthServer oauth) {
        this.userPoolId = userPoolId;
        this.oauth = oauth;
        this.discoveryPath = "/" + userPoolId + "/.well-known/openid-configuration";
        String jwksPath = "/" + userPoolId + "/.well-known/jwks.json";
        this.managedLogin = managedLogin;
        this.jwksPath = jwksPath;
        this.pool = pool;
        this.keys = keys;
        this.faults = faults;
        this.revokeLog = revokeLog;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Stops at once, with its threads. */
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("GET".equals(method) && jwksPath.equals(path)) {
                serveJwks(exchange);
            } else if (OAuthServer.PATHS.contains(path) || ("GET".equals(method) && discoveryPath.equals(path))) {
                oauth.serve(exchange, method, path, body);
            } else if (ManagedLoginServer.PATHS.contains(path)) {
                managedLogin.serve(exchange, method, path);
            } else if ("POST".equals(method) && "/".equals(path)) {
                serveApi(exchange, body);
            } else {
                send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            }
        } catch (IOException e) {
            // the client went away (e.g. its attempt timed out during an injected delay): nothing to do
            LOG.log(System.Logger.Level.DEBUG, "Cognito stub: client connection failed: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cognito stub: request handling failed", e);
        }
    }

    private void serveJwks(HttpExchange exchange) throws IOException {
        if (faults.takeJwksFailure()) {
            keys.countFailedFetch();
            send(exchange, 500, "application/json", "{\"message\":\"injected failure\"}");
        } else {
            send(exchange, 200, "application/json", keys.fetchJwksJson());
        }
    }

    private void serveApi(HttpExchange exchange, byte[] body) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = target != null && target.startsWith(CognitoStub.TARGET_PREFIX)
                ? target.substring(CognitoStub.TARGET_PREFIX.length()) : null;
        Map<String, Object> request = parseObject(body); // null if not a JSON object
        if ("RevokeToken".equals(operation)) {
            serveRevoke(exchange, request);
            return;
        }
        Map<String, Object> answer;
        try {
            FaultInjector.Fault fault = operation == null ? null : faults.nextFault(operation);
            if (fault != null) {
                throw new CognitoStubException(fault.errorType(), "Injected by the Cognito stub", fault.httpStatus());
            }
            checkRequest(exchange, request);
            if (AdminCall.OPERATIONS.contains(operation)) {
                answer = admin(exchange, operation, request);
            } else if ("InitiateAuth".equals(operation)) {
                answer = initiateAuth(request);
            } else if ("GetTokensFromRefreshToken".equals(operation)) {
                answer = authenticationResult(pool.getTokensFromRefreshToken(stringOrNull(request, "RefreshToken"),
                        stringOrNull(request, "ClientId"), stringOrNull(request, "ClientSecret")));
            } else if ("GlobalSignOut".equals(operation)) {
                pool.globalSignOut(stringOrNull(request, "AccessToken"));
                answer = Map.of();
            } else {
                throw new CognitoStubException("UnknownOperationException",
                        "Operation " + (operation == null ? "(none)" : operation) + " is not supported by the stub");
            }
        } catch (CognitoStubException e) {
            if (AdminCall.OPERATIONS.contains(operation)) {
                adminCalls.add(new AdminCall(operation, exchange.getRequestHeaders().containsKey("Authorization"),
                        e.errorType()));
            }
            sendError(exchange, e);
            return;
        }
        send(exchange, 200, CognitoStub.AMZ_JSON_1_1, JSONObjectUtils.toJSONString(answer));
    }

    /** The IAM-authorized operations: refused unsigned, as Cognito does; recorded. */
    private Map<String, Object> admin(HttpExchange exchange, String operation, Map<String, Object> request) {
        if (!exchange.getRequestHeaders().containsKey("Authorization")) {
            throw new CognitoStubException("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        String poolId = stringOrNull(request, "UserPoolId");
        Map<String, Object> answer = switch (operation) {
            case "DescribeUserPoolClient" -> {
                String clientId = stringOrNull(request, "ClientId");
                boolean known = pool.hasClient(clientId);
                yield pool.describeClient(poolId, userPoolId, clientId,
                        known ? managedLogin.logoutUrls(clientId) : List.of(),
                        known ? managedLogin.callbackUrls(clientId) : List.of());
            }
            case "AdminGetUser" -> pool.adminGetUser(poolId, userPoolId, stringOrNull(request, "Username"));
            default -> {
                pool.adminUserGlobalSignOut(poolId, userPoolId, stringOrNull(request, "Username"));
                yield Map.of();
            }
        };
        adminCalls.add(new AdminCall(operation, true, null));
        return answer;
    }

    /** Every IAM-authorized call received, in order. */
    List<AdminCall> adminCalls() {
        return List.copyOf(adminCalls);
    }

    private void serveRevoke(HttpExchange exchange, Map<String, Object> request) throws IOException {
        String token = request == null ? null : stringOrNull(request, "Token");
        String clientId = request == null ? null : stringOrNull(request, "ClientId");
        String secret = request == null ? null : stringOrNull(request, "ClientSecret");
        boolean authorization = exchange.getRequestHeaders().containsKey("Authorization");

        if (!faults.awaitNextDelay()) {
            return; // close() is stopping the stub: answer nothing
        }

        CognitoStubException error = null;
        synchronized (revokeLock) {
            FaultInjector.Fault fault = faults.nextFault();
            if (fault != null && fault.isReset()) {
                revokeLog.record(new RevokeCall(token, clientId, secret, authorization, RevokeCall.CONNECTION_RESET, null));
                // closing without response headers makes the JDK server drop the connection
                exchange.close();
                return;
            }
            if (fault != null) {
                error = new CognitoStubException(fault.errorType(), "Injected by the Cognito stub", fault.httpStatus());
            } else {
                try {
                    checkRequest(exchange, request);
                    pool.revoke(token, clientId, secret);
                } catch (CognitoStubException e) {
                    error = e;
                }
            }
            // recorded before answering: once the client has its answer, the call is visible
            revokeLog.record(new RevokeCall(token, clientId, secret, authorization,
                    error == null ? 200 : error.httpStatus(), error == null ? null : error.errorType()));
        }
        if (error != null) {
            sendError(exchange, error);
        } else {
            send(exchange, 200, CognitoStub.AMZ_JSON_1_1, "{}");
        }
    }

    private Map<String, Object> initiateAuth(Map<String, Object> request) {
        Map<String, String> params = new LinkedHashMap<>();
        if (request.get("AuthParameters") instanceof Map<?, ?> raw) {
            raw.forEach((k, v) -> {
                if (k instanceof String key && v instanceof String value) {
                    params.put(key, value);
                }
            });
        }
        Map<String, Object> answer = authenticationResult(pool.initiateAuth(stringOrNull(request, "AuthFlow"),
                stringOrNull(request, "ClientId"), params));
        answer.put("ChallengeParameters", Map.of());
        return answer;
    }

    private static Map<String, Object> authenticationResult(UserPool.AuthResult auth) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("AccessToken", auth.tokens().accessToken());
        result.put("ExpiresIn", auth.expiresInSeconds());
        result.put("IdToken", auth.tokens().idToken());
        if (auth.withRefreshToken()) {
            result.put("RefreshToken", auth.tokens().refreshToken());
        }
        result.put("TokenType", "Bearer");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("AuthenticationResult", result);
        return answer;
    }

    private static void checkRequest(HttpExchange exchange, Map<String, Object> request) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!CognitoStub.AMZ_JSON_1_1.equalsIgnoreCase(mediaType)) {
            throw new CognitoStubException("UnknownOperationException", "Content-Type must be "
                    + CognitoStub.AMZ_JSON_1_1 + ", was " + (contentType == null ? "absent" : mediaType));
        }
        if (request == null) {
            throw new CognitoStubException("SerializationException", "The request body is not a JSON object");
        }
    }

    private static void sendError(HttpExchange exchange, CognitoStubException e) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", e.errorType());
        body.put("message", e.wireMessage());
        // AWS JSON 1.1 names the error in this header too (the SDK reads it first): "<Name>:".
        exchange.getResponseHeaders().set("x-amzn-ErrorType", e.errorType() + ":");
        send(exchange, e.httpStatus(), CognitoStub.AMZ_JSON_1_1, JSONObjectUtils.toJSONString(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, Object> parseObject(byte[] body) {
        try {
            return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static String stringOrNull(Map<String, Object> json, String field) {
        Object value = json.get(field);
        return value instanceof String ? (String) value : null;
    }
}
