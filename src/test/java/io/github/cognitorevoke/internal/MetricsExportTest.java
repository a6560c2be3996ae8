package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.support.TestClock;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One MBean per application in the platform MBean server, named by the context path. */
class MetricsExportTest {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final TestClock clock = TestClock.atNow();
    private ObjectName first;
    private ObjectName second;

    @AfterEach
    void unregister() {
        MetricsExport.unregisterMBean(server, first);
        MetricsExport.unregisterMBean(server, second);
    }

    private RevocationMetrics metrics(long denylisted) {
        return new RevocationMetrics(() -> denylisted, () -> 0, () -> (Instant) null, clock);
    }

    @Test
    void register_namesTheContextPath_andAttributesAreReadable() throws Exception {
        RevocationMetrics m = metrics(5);
        m.jwksFetched(true);

        first = MetricsExport.registerMBean(server, "/shop", m);

        assertThat(first).isEqualTo(new ObjectName("io.github.cognitorevoke:type=RevocationMetrics,context=/shop"));
        assertThat(server.getAttribute(first, "DenylistEntries")).isEqualTo(5L);
        assertThat(server.getAttribute(first, "JwksFetchesOk")).isEqualTo(1L);
        assertThat(server.getAttribute(first, "OldestPendingAgeSeconds")).isEqualTo(0.0);
        assertThat(server.getAttribute(first, "CognitoLatencyP99Millis")).isEqualTo(0.0);
    }

    @Test
    void twoContexts_getTwoMBeans_thatDoNotCollide() throws Exception {
        first = MetricsExport.registerMBean(server, "/shop", metrics(1));
        second = MetricsExport.registerMBean(server, "/admin", metrics(2));

        assertThat(second).isNotEqualTo(first);
        assertThat(server.getAttribute(first, "DenylistEntries")).isEqualTo(1L);
        assertThat(server.getAttribute(second, "DenylistEntries")).isEqualTo(2L);
        assertThat(server.queryNames(new ObjectName("io.github.cognitorevoke:type=RevocationMetrics,*"), null))
                .contains(first, second);
    }

    @Test
    void theSameContextPathTwice_getsASecondInstance_notAFailure() throws Exception {
        first = MetricsExport.registerMBean(server, "/shop", metrics(1));
        second = MetricsExport.registerMBean(server, "/shop", metrics(2));

        assertThat(second).isEqualTo(
                new ObjectName("io.github.cognitorevoke:type=RevocationMetrics,context=/shop,instance=2"));
        assertThat(server.getAttribute(second, "DenylistEntries")).isEqualTo(2L);
    }

    @Test
    void rootContext_isNamedSlash() throws Exception {
        first = MetricsExport.registerMBean(server, "", metrics(1));

        assertThat(first.getKeyProperty("context")).isEqualTo("/");
    }

    @Test
    void contextPathWithSpecialCharacters_isQuoted() throws Exception {
        first = MetricsExport.registerMBean(server, "/a,b=c", metrics(1));

        assertThat(ObjectName.unquote(first.getKeyProperty("context"))).isEqualTo("/a,b=c");
        assertThat(server.isRegistered(first)).isTrue();
    }

    @Test
    void unregister_removesTheMBean_andASecondUnregisterIsHarmless() {
        first = MetricsExport.registerMBean(server, "/shop", metrics(1));

        MetricsExport.unregisterMBean(server, first);
        MetricsExport.unregisterMBean(server, first);

        assertThat(server.isRegistered(first)).isFalse();
    }
}
