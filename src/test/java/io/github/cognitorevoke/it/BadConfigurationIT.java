package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WAR whose filter is misconfigured does not deploy, on either server, and the message names the
 * parameter. (WildFly creates filters lazily and Payara serves without a filter whose init failed: only
 * the library's deployment-time check makes these fail.) Each deployment is a Payara JVM: keep them few.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadConfigurationIT {

    private static final String MISSING_CLIENT_ID = "missing-client-id";
    private static final String ABSOLUTE_REDIRECT = "absolute-logout-redirect";
    private static final String REDIS_WITHOUT_LETTUCE = "redis-without-lettuce";

    @ArquillianResource
    private Deployer deployer;

    private static Map<String, String> validParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("region", "eu-west-1");
        params.put("userPoolId", "eu-west-1_AbCdEfGhI");
        params.put("clientId", "4h3l2k1j5g6f7d8s9a0p1o2i3u");
        // never contacted: the deployment fails before any request
        params.put("endpoint", "http://127.0.0.1:9");
        return params;
    }

    @Deployment(name = MISSING_CLIENT_ID, managed = false, testable = false)
    static WebArchive missingClientId() {
        Map<String, String> params = validParams();
        params.remove("clientId");
        return TestWars.app(MISSING_CLIENT_ID, params);
    }

    @Deployment(name = ABSOLUTE_REDIRECT, managed = false, testable = false)
    static WebArchive absoluteLogoutRedirect() {
        Map<String, String> params = validParams();
        params.put("logoutRedirect", "https://evil.example/");
        return TestWars.app(ABSOLUTE_REDIRECT, params);
    }

    @Deployment(name = REDIS_WITHOUT_LETTUCE, managed = false, testable = false)
    static WebArchive redisUriWithoutLettuce() {
        Map<String, String> params = validParams();
        // never contacted either: the missing dependency is found first
        params.put("redisUri", "redis://127.0.0.1:9");
        return TestWars.app(REDIS_WITHOUT_LETTUCE, params);
    }

    @Test
    void redisUriWithoutLettuceInTheWar_failsTheDeployment_namingTheDependency() {
        String why = DeploymentFailures.deployFailure(deployer, REDIS_WITHOUT_LETTUCE);
        assertThat(why).contains("init-param 'redisUri'").contains("io.lettuce:lettuce-core");
    }

    @Test
    void missingRequiredClientId_failsTheDeployment_namingTheParameter() {
        String why = DeploymentFailures.deployFailure(deployer, MISSING_CLIENT_ID);
        assertThat(why).contains("init-param 'clientId'");
    }

    @Test
    void absoluteLogoutRedirect_failsTheDeployment_namingTheParameterAndValue() {
        String why = DeploymentFailures.deployFailure(deployer, ABSOLUTE_REDIRECT);
        assertThat(why).contains("init-param 'logoutRedirect'").contains("https://evil.example/");
    }
}
