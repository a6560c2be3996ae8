package io.github.cognitorevoke.it;

import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployer;

/**
 * Asserts that an unmanaged deployment fails, on both servers, and returns the reason for further checks.
 *
 * <ul>
 *   <li>WildFly: {@code Deployer.deploy} throws a DeploymentException whose message carries the exception thrown
 *       by the application (e.g. from a ServletContextListener).</li>
 *   <li>Payara Micro (arquillian-payara-micro-managed 3.1): {@code deploy} does NOT throw. Payara logs
 *       "Exception while loading the app", boots with an empty "Deployed" list, and the adapter accepts that.
 *       The failure and its message are only in the server log, so they are taken from there.</li>
 * </ul>
 * Always undeploys afterwards: on Payara that stops the Micro JVM, which otherwise runs until the test JVM exits.
 */
public final class DeploymentFailures {
    private DeploymentFailures() {}

    /** Deploys {@code name}, fails unless the deployment failed, and returns the failure's text. */
    public static String deployFailure(Deployer deployer, String name) {
        long mark = ServerLogs.mark();
        Throwable thrown = null;
        try {
            deployer.deploy(name);
        } catch (Exception e) { // Arquillian's checked DeploymentException arrives undeclared ("sneaky")
            thrown = e;
        } finally {
            try {
                deployer.undeploy(name);
            } catch (Exception e) {
                // WildFly rolled the failed deployment back already
            }
        }
        if (thrown != null) {
            List<String> messages = new ArrayList<>();
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                messages.add(t.getClass().getName() + ": " + t.getMessage());
            }
            return String.join("\n", messages);
        }
        String log = ServerLogs.since(mark);
        if (log.contains("Exception while loading the app") || log.contains("Startup of context /" + name + " failed")) {
            return log;
        }
        throw new AssertionError("deployment '" + name + "' succeeded on " + ServerLogs.server()
                + " but was expected to fail");
    }
}
