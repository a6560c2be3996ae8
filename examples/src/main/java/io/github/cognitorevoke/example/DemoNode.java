package io.github.cognitorevoke.example;

import java.net.URI;
import java.util.Optional;

/**
 * Which node of a cluster this is, for the page (examples/run --cluster starts two WildFly nodes).
 * Both values are system properties of the server, set by the run script:
 * {@code demo.node} (this node's name) and {@code demo.peer} (the URL of the other node's page).
 */
final class DemoNode {

    private DemoNode() {}

    /** @return this node's name ({@code demo.node}), or empty when the demo runs on one server */
    static String name() {
        return System.getProperty("demo.node", "");
    }

    /** @return the other node's page, e.g. {@code http://127.0.0.1:8380/demo/}, if this node is one of two */
    static Optional<URI> peer() {
        String peer = System.getProperty("demo.peer", "");
        return peer.isBlank() ? Optional.empty() : Optional.of(URI.create(peer.endsWith("/") ? peer : peer + "/"));
    }
}
