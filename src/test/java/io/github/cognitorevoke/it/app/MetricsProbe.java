package io.github.cognitorevoke.it.app;

import io.github.cognitorevoke.RevocationHealth;
import io.github.cognitorevoke.TokenRevocationService;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Test-only: reads this application's metrics MBean inside the server (the managed servers run in
 * their own JVMs) and the injected service's {@code health()}, answering {@code key=value} lines:
 * {@code objectName=...}, one line per MBean attribute, {@code health.live}, {@code health.ready},
 * {@code health.detail}. 404 if the MBean is not registered under the name docs/operations.md gives.
 */
@WebServlet("/metrics-probe")
public class MetricsProbe extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    private TokenRevocationService revocations;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String context = req.getContextPath().isEmpty() ? "/" : req.getContextPath();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        res.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = res.getWriter();
        try {
            ObjectName name = new ObjectName("io.github.cognitorevoke:type=RevocationMetrics,context=" + context);
            if (!server.isRegistered(name)) {
                res.setStatus(404);
                out.println("error=not registered: " + name);
                return;
            }
            out.println("objectName=" + name);
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                out.println(a.getName() + "=" + server.getAttribute(name, a.getName()));
            }
        } catch (JMException e) {
            res.setStatus(500);
            out.println("error=" + e);
            return;
        }
        RevocationHealth health = revocations.health();
        out.println("health.live=" + health.live());
        out.println("health.ready=" + health.ready());
        out.println("health.detail=" + health.detail());
    }
}
