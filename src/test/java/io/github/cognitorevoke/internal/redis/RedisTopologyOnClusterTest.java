package io.github.cognitorevoke.internal.redis;

import static io.github.cognitorevoke.internal.redis.Tiers.confirmed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cognitorevoke.support.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a node costs a Redis Cluster whose topology stays as it is. */
class RedisTopologyOnClusterTest extends RedisTierTest implements RedisTierTest.OnCluster {

    /**
     * Longer than the 10 s period at which the nodes' client used to ask every node of the cluster for its
     * topology, each time on a new connection to each.
     */
    private static final Duration WRITING = Duration.ofMillis(11_500);

    @Test
    void aNodeThatKeepsWriting_opensNoNewConnectionToAnyNodeOfTheCluster() throws Exception {
        RedisDenylist a = node();
        confirmed(a.add("first", Instant.now().plusSeconds(600)));
        Map<Integer, Long> before = connectionsReceived();
        long end = System.nanoTime() + WRITING.toNanos();
        int written = 0;
        while (System.nanoTime() < end) {
            confirmed(a.add("jti-" + written++, Instant.now().plusSeconds(600)));
            Thread.sleep(20);
        }
        Map<Integer, Long> after = connectionsReceived();
        assertTrue(written > 100, "writes: " + written);
        assertTrue(a.inSync());
        Map<Integer, Long> opened = new TreeMap<>();
        // Each question about the count opens a connection of its own: the second one is counted in the second count.
        after.forEach((port, total) -> {
            if (total - before.get(port) - 1 != 0) {
                opened.put(port, total - before.get(port) - 1);
            }
        });
        assertEquals(Map.of(), opened, "connections each server of the cluster (by port) received from the node during "
                + written + " writes in " + WRITING.toMillis() + " ms");
    }

    /** @return each server's {@code total_connections_received}, asked on a new connection to it */
    private static Map<Integer, Long> connectionsReceived() {
        Map<Integer, Long> received = new TreeMap<>();
        for (RedisProcess server : clusterServers()) {
            received.put(server.port(), Long.parseLong(RedisConnections.infoField(server.call("INFO", "stats"),
                    "total_connections_received")));
        }
        return received;
    }
}
