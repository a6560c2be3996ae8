package io.github.cognitorevoke.example;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Cluster demo only: lets the other node's page call this node's API, so one page can send its token
 * to both nodes ("log out on one, the other rejects"). Active only when {@code demo.peer} is set; it
 * then allows exactly the other node's origin (written {@code 127.0.0.1} or {@code localhost}), for
 * {@code GET} with {@code Authorization}, and exposes {@code WWW-Authenticate}.
 *
 * <p>Declared in {@code web.xml} before {@code cognito-revoke}: the headers are set before the request
 * reaches the revocation filter, so its 401 carries them too and the page can show it.
 */
public class PeerCorsFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    private Set<String> origins = Set.of();

    @Override
    public void init(FilterConfig config) {
        origins = DemoNode.peer().map(PeerCorsFilter::origins).orElse(Set.of());
    }

    private static Set<String> origins(URI peer) {
        String port = peer.getPort() < 0 ? "" : ":" + peer.getPort();
        return Set.of(peer.getScheme() + "://127.0.0.1" + port, peer.getScheme() + "://localhost" + port);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String origin = req.getHeader("Origin");
        if (origin != null && origins.contains(origin)) {
            res.setHeader("Access-Control-Allow-Origin", origin);
            res.addHeader("Vary", "Origin");
            res.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
            if ("OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null) {
                res.setHeader("Access-Control-Allow-Methods", "GET");
                res.setHeader("Access-Control-Allow-Headers", "Authorization");
                res.setHeader("Access-Control-Max-Age", "600");
                res.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return; // the preflight: nothing for the application
            }
        }
        chain.doFilter(req, res);
    }
}
