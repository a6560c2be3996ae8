package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.it.app.BearerOnlyMechanism;
import io.github.cognitorevoke.testing.StubTokens;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The container's own authentication in front of the filter: a Jakarta Security mechanism that verifies
 * bearer tokens itself ({@link BearerOnlyMechanism}, no session) and a {@code security-constraint} on
 * {@code /constrained}. The container accepts a revoked token (its signature is still good): the 401 that
 * stops it is the filter's, which only runs once the container let the request through the constraint. A
 * request the container refuses gets the container's own 401 and never gets that far.
 */
@DisabledIfSystemProperty(named = "it.cluster", matches = "true",
        disabledReason = "an Arquillian test: runs in it-wildfly and it-payara, -Dit.test brings it to it-cluster too")
class ContainerSecurityIT extends SecuredAppCase {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return deploy("container-security", "1itcontainersec4h5j6k7l8m9", BearerOnlyMechanism.class, Map.of());
    }

    @Test
    void liveToken_isAuthenticatedByTheContainer_andReachesTheConstrainedResource_withoutASession() {
        StubTokens alice = login("alice");

        assertThat(app.constrainedWith(alice.accessToken())).as("a session cookie").isEmpty();
        app.assertServes(alice, alice.accessToken(), null);
    }

    @Test
    void noToken_getsTheContainersOwn401() {
        app.assertRefusedByTheContainer(null, null);
    }

    @Test
    void tokenTheMechanismDoesNotVerify_getsTheContainersOwn401() {
        String forged = stub().jwt().signWithUnknownKey(stub().jwt().accessClaims(clientId(), "mallory").build());

        app.assertRefusedByTheContainer(forged, null);
    }

    @Test
    void revokedToken_passesTheContainer_butTheFilterAnswers401_beforeTheResource() {
        StubTokens bob = login("bob");
        StubTokens carol = login("carol");
        app.assertServes(bob, bob.accessToken(), null);

        assertThat(app.logout(bob.accessToken(), null).statusCode()).as("logout").isEqualTo(204);

        app.assertRevokedByTheFilter("constrained", bob.accessToken(), null);
        app.assertRevokedByTheFilter("protected", bob.accessToken(), null);
        app.assertServes(carol, carol.accessToken(), null);
    }
}
