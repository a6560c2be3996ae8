package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.it.app.SessionBearerMechanism;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * What the filter cannot see: the WAR of {@link ContainerSecurityIT} with a mechanism that keeps the caller
 * in the HTTP session ({@link SessionBearerMechanism}, {@code @AutoApplySession}) and the filter's default
 * token source. A request with only the session cookie is authenticated by the container from the session
 * and carries no token for the filter to check. These tests pin down what that means, the same on both
 * servers; {@link ContainerSessionResolverIT} shows the remedy.
 */
@DisabledIfSystemProperty(named = "it.cluster", matches = "true",
        disabledReason = "an Arquillian test: runs in it-wildfly and it-payara, -Dit.test brings it to it-cluster too")
class ContainerSessionIT extends SecuredAppCase {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return deploy("container-session", "1itcontainerses4h5j6k7l8m9", SessionBearerMechanism.class, Map.of());
    }

    @Test
    void logoutWithoutTheSessionCookie_leavesTheSession_whoseCookieAloneStillReachesTheResource() {
        StubTokens alice = login("alice");
        String cookie = app.openSession(alice.accessToken());
        app.assertServes(alice, null, cookie);

        // a logout from another device, or by a client that never kept the cookie
        assertThat(app.logout(alice.accessToken(), null).statusCode()).isEqualTo(204);

        app.assertRevokedByTheFilter("constrained", alice.accessToken(), null);
        app.assertRevokedByTheFilter("constrained", alice.accessToken(), cookie);
        // the filter's 401s ended nothing: the session still holds the caller, and its cookie carries no token
        app.assertServes(alice, null, cookie);
    }

    @Test
    void revokedToken_gets401FromTheFilter_andTheSessionTheContainerOpenedForItEnds() {
        StubTokens bob = login("bob");
        assertThat(app.logout(bob.accessToken(), null).statusCode()).isEqualTo(204);

        // the mechanism verifies the revoked token's signature and the container registers a session for the
        // caller, both before the filter runs; the filter's 401 ends a session that this request opened
        HttpResponse<String> r = app.assertRevokedByTheFilter("constrained", bob.accessToken(), null);
        String minted = SecuredApp.sessionCookie(r)
                .orElseThrow(() -> new AssertionError("no session cookie on the filter's 401"));

        app.assertRefusedByTheContainer(null, minted);
    }

    @Test
    void aRevokedSession_withAnotherUsersLiveToken_isServedAsTheSessionsCaller() {
        StubTokens dave = login("dave");
        StubTokens erin = login("erin");
        String cookie = app.openSession(dave.accessToken());
        assertThat(app.logout(dave.accessToken(), null).statusCode()).isEqualTo(204);

        // @AutoApplySession takes the caller from the session before the mechanism sees the token; the filter
        // checks the token, which is live
        app.assertServes(dave, erin.accessToken(), cookie);
    }

    @Test
    void logoutWithTheSessionCookie_endsTheSession_itsCookieAloneGetsTheContainers401() {
        StubTokens carol = login("carol");
        String cookie = app.openSession(carol.accessToken());

        assertThat(app.logout(carol.accessToken(), cookie).statusCode()).isEqualTo(204);

        app.assertRefusedByTheContainer(null, cookie);
        app.assertRevokedByTheFilter("constrained", carol.accessToken(), cookie);
    }
}
