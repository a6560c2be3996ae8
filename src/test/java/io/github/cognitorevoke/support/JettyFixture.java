package io.github.cognitorevoke.support;

import io.github.cognitorevoke.RevocationFilter;
import io.github.cognitorevoke.internal.Bootstrap;
import io.github.cognitorevoke.testing.CognitoStub;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * Embedded Jetty for the filter's HTTP tests: applications protected by {@link RevocationFilter},
 * deployed as the library's {@code ServletContainerInitializer} would deploy them, served over real
 * HTTP on a free loopback port.
 *
 * <pre>{@code
 * try (JettyFixture jetty = JettyFixture.start(JettyFixture.app(stub, "/app", Map.of()))) {
 *     http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/data")).build(), ...);
 * }
 * }</pre>
 */
public final class JettyFixture implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private JettyFixture(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * An application at {@code path}: the library's deployment check, the filter on {@code /*} with
     * {@link StubSettings#initParameters} for {@link StubSettings#CLIENT} plus {@code extra}, and a
     * servlet on {@code /} that answers {@code ok session} or {@code ok nosession} (with
     * {@code ?session}, it opens one).
     *
     * @param stub the stub the filter is pointed at
     * @param path the context path
     * @param extra init-params added to (or replacing) the stub's
     * @return the context, not started
     */
    public static ServletContextHandler app(CognitoStub stub, String path, Map<String, String> extra) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath(path);
        // The deployment check, as the library's ServletContainerInitializer registers it.
        context.addEventListener(new Bootstrap());
        FilterHolder filter = new FilterHolder(RevocationFilter.class);
        Map<String, String> p = StubSettings.initParameters(stub, StubSettings.CLIENT);
        p.putAll(extra);
        p.forEach(filter::setInitParameter);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getParameter("session") != null) {
                    req.getSession(true).setAttribute("user", "someone");
                }
                resp.setContentType("text/plain");
                resp.getWriter().write("ok " + (req.getSession(false) != null ? "session" : "nosession"));
            }
        }, "/");
        return context;
    }

    /**
     * Starts a server with these applications, with Jetty's default request header limit (8 KiB).
     *
     * @param apps the applications, e.g. from {@link #app}
     * @return the running server
     * @throws Exception when a deployment fails (the server is stopped again)
     */
    public static JettyFixture start(ServletContextHandler... apps) throws Exception {
        return start(new HttpConfiguration(), apps);
    }

    /**
     * Starts a server with these applications that accepts request headers up to {@code bytes} in all
     * (WildFly accepts 1 MiB).
     *
     * @param bytes the request header limit
     * @param apps the applications
     * @return the running server
     * @throws Exception when a deployment fails (the server is stopped again)
     */
    public static JettyFixture startWithHeaderLimit(int bytes, ServletContextHandler... apps) throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(bytes);
        return start(http, apps);
    }

    private static JettyFixture start(HttpConfiguration http, ServletContextHandler... apps) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(apps.length == 1 ? apps[0] : new ContextHandlerCollection(apps));
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception stop) {
                e.addSuppressed(stop);
            }
            throw e;
        }
        return new JettyFixture(server, connector);
    }

    /** @return {@code http://127.0.0.1:<port>}, to which a context path is appended */
    public String base() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Stops the server and with it every application (idempotent). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
