package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.it.app.SessionBearerMechanism;
import io.github.cognitorevoke.it.app.SessionTokenResolver;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The remedy for {@link ContainerSessionIT}: the same session-keeping mechanism, and the filter's
 * {@code tokenResolver} set to {@link SessionTokenResolver}, which hands it the token the session holds. A
 * request that rides on the session is checked against that token, whether or not it carries one.
 */
@DisabledIfSystemProperty(named = "it.cluster", matches = "true",
        disabledReason = "an Arquillian test: runs in it-wildfly and it-payara, -Dit.test brings it to it-cluster too")
class ContainerSessionResolverIT extends SecuredAppCase {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return deploy("container-session-resolver", "1itcontainerres4h5j6k7l8m9", SessionBearerMechanism.class,
                Map.of("tokenResolver", SessionTokenResolver.class.getName()));
    }

    @Test
    void logoutWithoutTheSessionCookie_theSessionsTokenIsRevoked_soItsCookieAloneGetsTheFilters401() {
        StubTokens alice = login("alice");
        String cookie = app.openSession(alice.accessToken());
        app.assertServes(alice, null, cookie);

        assertThat(app.logout(alice.accessToken(), null).statusCode()).isEqualTo(204);

        app.assertRevokedByTheFilter("constrained", null, cookie);
        app.assertRevokedByTheFilter("protected", null, cookie);
    }

    @Test
    void theSessionARevokedTokenOpens_endsWithTheFilters401_soItsCookieAloneGetsTheContainers401() {
        StubTokens bob = login("bob");
        assertThat(app.logout(bob.accessToken(), null).statusCode()).isEqualTo(204);

        HttpResponse<String> r = app.assertRevokedByTheFilter("constrained", bob.accessToken(), null);
        String minted = SecuredApp.sessionCookie(r)
                .orElseThrow(() -> new AssertionError("no session cookie on the filter's 401"));

        app.assertRefusedByTheContainer(null, minted);
    }

    @Test
    void anotherUsersLiveToken_doesNotCarryARevokedSession() {
        StubTokens carol = login("carol");
        StubTokens dave = login("dave");
        String cookie = app.openSession(carol.accessToken());
        assertThat(app.logout(carol.accessToken(), null).statusCode()).isEqualTo(204);

        // the container would take carol from the session, whatever token comes along
        app.assertRevokedByTheFilter("constrained", dave.accessToken(), cookie);
        app.assertServes(dave, dave.accessToken(), null);
    }
}
