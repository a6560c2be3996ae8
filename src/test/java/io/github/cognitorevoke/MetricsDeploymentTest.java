package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cognitorevoke.internal.ActiveHealth;
import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics MBean over a deployment's life, in Jetty: registered when an application with the filter
 * deploys, named by its context path, gone when it stops; two applications on one server do not collide.
 */
class MetricsDeploymentTest {

    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private CognitoStub stub;
    private JettyFixture jetty;

    @BeforeEach
    void start() {
        stub = CognitoStub.start();
        stub.addClient(StubSettings.CLIENT, null, true);
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
        stub.close();
    }

    private static ObjectName name(String context) throws Exception {
        return new ObjectName("io.github.cognitorevoke:type=RevocationMetrics,context=" + context);
    }

    @Test
    void twoApplications_eachGetTheirOwnMBean_andStoppingOneUnregistersOnlyIts() throws Exception {
        ServletContextHandler shop = JettyFixture.app(stub, "/shop", Map.of());
        ServletContextHandler admin = JettyFixture.app(stub, "/admin", Map.of());
        jetty = JettyFixture.start(shop, admin);

        assertThat(mbeans.isRegistered(name("/shop"))).isTrue();
        assertThat(mbeans.isRegistered(name("/admin"))).isTrue();
        assertThat(mbeans.getAttribute(name("/shop"), "LogoutsCompleted")).isEqualTo(0L);

        shop.stop();

        assertThat(mbeans.isRegistered(name("/shop"))).isFalse();
        assertThat(mbeans.isRegistered(name("/admin"))).isTrue();

        jetty.close();

        assertThat(mbeans.isRegistered(name("/admin"))).isFalse();
    }

    @Test
    void healthOfTheRunningApplications_namesEachContext_andForgetsAStoppedOne() throws Exception {
        ServletContextHandler shop = JettyFixture.app(stub, "/shop", Map.of());
        ServletContextHandler admin = JettyFixture.app(stub, "/admin", Map.of());
        jetty = JettyFixture.start(shop, admin);

        await().atMost(Duration.ofSeconds(10)).until(() -> ActiveHealth.combined().ready());
        RevocationHealth both = ActiveHealth.combined();
        assertThat(both.live()).isTrue();
        assertThat(both.detail()).contains("/shop: ", "/admin: ");

        shop.stop();

        assertThat(ActiveHealth.combined().detail()).doesNotContain("/shop");
    }

    @Test
    void rootContext_isRegisteredAsSlash() throws Exception {
        jetty = JettyFixture.start(JettyFixture.app(stub, "/", Map.of()));

        assertThat(mbeans.isRegistered(name("/"))).isTrue();
    }
}
