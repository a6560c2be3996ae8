package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.internal.Installations;
import io.github.cognitorevoke.internal.RevocationEngine;
import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.RedisProcess;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;

/** The filter with redisUri set while Redis is down: every request is answered from this node, none fails. */
class SharedDenylistOutageFilterTest {

    private static final String CLIENT = "webclient";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void redisDown_requestsAnswered_logout202WithinAboutRedisTimeout_tokenRejectedLocally_syncedWhenRedisReturns()
            throws Exception {
        RedisProcess redis = RedisProcess.start("filter-outage");
        redis.stop();
        try (CognitoStub stub = CognitoStub.start()) {
            stub.addClient(CLIENT, null, true);
            ServletContextHandler context = JettyFixture.app(stub, "/app", Map.of(
                    "redisUri", redis.uri(), "redisTimeout", "200ms", "redisSyncTimeout", "300ms"));
            try (JettyFixture jetty = JettyFixture.start(context)) {
                String base = jetty.base() + "/app";
                RevocationEngine engine = Installations.installation(context.getServletContext()).engine();
                StubTokens t = stub.login(CLIENT, "alice");
                assertThat(get(base + "/data", t.accessToken()).statusCode()).isEqualTo(200);

                long started = System.nanoTime();
                HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(base + "/logout"))
                        .header("Authorization", "Bearer " + t.accessToken())
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(logout.statusCode()).isEqualTo(202);
                assertThat(logout.body()).contains("\"status\":\"pending\"");
                assertThat(took).isLessThan(Duration.ofMillis(200 + 1500));
                assertThat(get(base + "/data", t.accessToken()).statusCode()).isEqualTo(401);
                assertThat(get(base + "/data", stub.login(CLIENT, "bob").accessToken()).statusCode()).isEqualTo(200);
                assertThat(get(base + "/data", null).statusCode()).isEqualTo(200);
                RevocationHealth health = engine.health();
                assertThat(health.live()).isTrue();
                assertThat(health.ready()).isFalse();
                assertThat(health.detail()).contains("denylist shared through " + redis.uri() + ", not in sync since ");

                redis.start();

                await().atMost(RedisProcess.patience()).until(() -> engine.health().ready());
                await().atMost(RedisProcess.patience()).until(() -> !":0".equals(redis.command("DBSIZE")));
                assertThat(get(base + "/data", t.accessToken()).statusCode()).isEqualTo(401);
            }
        } finally {
            redis.stop();
        }
    }

    private HttpResponse<String> get(String url, String accessToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (accessToken != null) {
            b.header("Authorization", "Bearer " + accessToken);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
