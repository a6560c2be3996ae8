package io.github.cognitorevoke.internal;

import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.DONE;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.MISCONFIGURED;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.NOT_ACCEPTED;
import static io.github.cognitorevoke.internal.ScriptedCognitoGateway.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.LogoutEvent;
import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.SignOutEverywhereEvent;
import io.github.cognitorevoke.TokenRejectedEvent;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.time.Duration;
import io.github.cognitorevoke.LogoutResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the engine reports, as the public event records: driven through a real engine, time moved by hand. */
class EventPublisherTest {

    private static final String CLIENT = "webclient";
    private static final Duration DEADLINE = Duration.ofHours(1);

    private final TestClock clock = TestClock.atNow();
    private final ScriptedCognitoGateway cognito = new ScriptedCognitoGateway();
    private final List<Object> events = new ArrayList<>();
    private CognitoStub stub;
    private RevocationEngine engine;

    @BeforeEach
    void start() {
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        engine = EngineFixture.against(stub).clock(clock).cognito(cognito)
                .settings(s -> s.pendingDeadline(DEADLINE)).build();
        engine.observers().add(new EventPublisher(clock, everyType()));
    }

    @AfterEach
    void stop() {
        engine.close();
        stub.close();
    }

    private EventPublisher.Delivery everyType() {
        return new EventPublisher.Delivery() {
            @Override
            public <T> Consumer<T> to(Class<T> type) {
                return events::add;
            }
        };
    }

    @Test
    void logout_completed_firesLogoutEventWithTheVerifiedIds() {
        StubTokens alice = stub.login(CLIENT, "alice");

        engine.logout(alice.accessToken(), alice.refreshToken());

        assertThat(events).containsExactly(new LogoutEvent(clock.instant(), Status.COMPLETED, null, true,
                alice.accessClaims().getSubject(), alice.accessJti(), true));
    }

    @Test
    void logout_refreshTokenAlone_firesLogoutEventWithoutIds() {
        StubTokens bob = stub.login(CLIENT, "bob");

        engine.logout(null, bob.refreshToken());

        assertThat(events).containsExactly(new LogoutEvent(clock.instant(), Status.COMPLETED, null, false, null, null));
    }

    @Test
    void logout_refreshTokenAloneRefusedOrPending_firesNothing_untilCognitoAcceptsIt() {
        StubTokens bob = stub.login(CLIENT, "bob");
        cognito.onRevoke(t -> NOT_ACCEPTED);
        engine.logout(null, CognitoStub.unknownRefreshToken());
        cognito.onRevoke(t -> THROTTLED);
        engine.logout(null, bob.refreshToken());
        assertThat(events).as("anyone can send these: no event each").isEmpty();

        cognito.onRevoke(t -> DONE);
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();

        assertThat(events).containsExactly(new PendingRevocationEvent(clock.instant(),
                PendingRevocationEvent.Outcome.COMPLETED, false, 2));
    }

    @Test
    void logout_refused_carriesTheTypedReason() {
        StubTokens carol = stub.login(CLIENT, "carol");
        cognito.onRevoke(t -> NOT_ACCEPTED);

        engine.logout(carol.accessToken(), carol.refreshToken());

        assertThat(events).singleElement().isInstanceOfSatisfying(LogoutEvent.class, e -> {
            assertThat(e.status()).isEqualTo(Status.REFUSED);
            assertThat(e.refusalReason()).isEqualTo(Reason.TOKEN_NOT_ACCEPTED);
            assertThat(e.accessTokenDenylisted()).isTrue();
        });
    }

    @Test
    void logout_pendingThenConfirmed_firesPendingLogoutThenCompletedPendingRevocation() {
        StubTokens dave = stub.login(CLIENT, "dave");
        cognito.onRevoke(t -> THROTTLED);
        engine.logout(dave.accessToken(), dave.refreshToken());
        cognito.onRevoke(t -> DONE);

        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(LogoutEvent.class,
                e -> assertThat(e.status()).isEqualTo(Status.PENDING));
        assertThat(events.get(1)).isEqualTo(new PendingRevocationEvent(clock.instant(),
                PendingRevocationEvent.Outcome.COMPLETED, false, 2));
    }

    @Test
    void pendingRevocation_refusedLater_firesRefused() {
        StubTokens erin = stub.login(CLIENT, "erin");
        cognito.onRevoke(t -> THROTTLED);
        engine.logout(erin.accessToken(), erin.refreshToken());
        cognito.onRevoke(t -> MISCONFIGURED);

        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();

        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(PendingRevocationEvent.class, e -> {
            assertThat(e.outcome()).isEqualTo(PendingRevocationEvent.Outcome.REFUSED);
            assertThat(e.globalSignOut()).isFalse();
        });
    }

    @Test
    void pendingRevocation_pastItsDeadline_firesGaveUp() {
        StubTokens frank = stub.login(CLIENT, "frank");
        cognito.onRevoke(t -> THROTTLED);
        engine.logout(null, frank.refreshToken());

        clock.advance(DEADLINE.plusSeconds(1));
        engine.retryDue();

        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(PendingRevocationEvent.class, e -> {
            assertThat(e.outcome()).isEqualTo(PendingRevocationEvent.Outcome.GAVE_UP);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.at()).isEqualTo(clock.instant());
        });
    }

    @Test
    void signOutEverywhere_firesSignOutEverywhereEvent_andAPendingOneEndsAsAGlobalSignOut() {
        StubTokens grace = stub.login(CLIENT, "grace");
        String sub = grace.accessClaims().getSubject();
        cognito.onGlobalSignOut(t -> THROTTLED);

        engine.signOutEverywhere(grace.accessToken());
        cognito.onGlobalSignOut(t -> DONE);
        clock.advance(RetryWorker.LONGEST_RETRY);
        engine.retryDue();

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(SignOutEverywhereEvent.class, e -> {
            assertThat(e.status()).isEqualTo(Status.PENDING);
            assertThat(e.sub()).isEqualTo(sub);
            assertThat(e.refusalReason()).isNull();
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(PendingRevocationEvent.class,
                e -> assertThat(e.globalSignOut()).isTrue());
    }

    @Test
    void rejection_namesPathSubAndWhichIdMatched() {
        StubTokens heidi = stub.login(CLIENT, "heidi");
        StubTokens sibling = stub.refresh(CLIENT, heidi.refreshToken());
        StubTokens ivan = stub.login(CLIENT, "ivan");
        String heidiSub = heidi.accessClaims().getSubject();
        engine.logout(heidi.accessToken(), null);
        engine.cutOff(ivan.accessClaims().getSubject());
        events.clear();

        engine.reportRejection("/api/a", heidi.accessToken());
        engine.reportRejection("/api/b", sibling.idToken());
        engine.reportRejection("/api/c", "Bearer " + ivan.accessToken());

        assertThat(events).containsExactly(
                new TokenRejectedEvent(clock.instant(), "/api/a", heidiSub, TokenRejectedEvent.Match.JTI),
                new TokenRejectedEvent(clock.instant(), "/api/b", heidiSub, TokenRejectedEvent.Match.ORIGIN_JTI),
                new TokenRejectedEvent(clock.instant(), "/api/c", ivan.accessClaims().getSubject(),
                        TokenRejectedEvent.Match.SIGNED_OUT));
    }

    @Test
    void rejection_unsignedTokenWithADenylistedJti_reportsNoSubject() {
        StubTokens heidi = stub.login(CLIENT, "heidi");
        engine.logout(heidi.accessToken(), null);
        events.clear();
        String forged = stub.jwt().unsigned(new JWTClaimsSet.Builder(heidi.accessClaims())
                .subject("victim\nsub=admin " + "x".repeat(10_000)).build());

        engine.reportRejection("/api", "Bearer " + forged);

        assertThat(events).containsExactly(new TokenRejectedEvent(clock.instant(), "/api", null,
                TokenRejectedEvent.Match.JTI));
    }

    @Test
    void rejection_tokenOfUnknownKeyOrOtherClient_reportsNoSubject_fetchesNoKeys() {
        StubTokens heidi = stub.login(CLIENT, "heidi");
        engine.logout(heidi.accessToken(), null);
        int fetches = stub.jwksFetchCount();
        events.clear();
        JWTClaimsSet victim = new JWTClaimsSet.Builder(heidi.accessClaims()).subject("victim").build();

        engine.reportRejection("/a", stub.jwt().signWithUnknownKey(victim));
        engine.reportRejection("/b", stub.jwt().sign(new JWTClaimsSet.Builder(victim).claim("client_id", "other").build()));
        engine.reportRejection("/c", stub.jwt().sign(new JWTClaimsSet.Builder(victim).issuer("https://evil.example").build()));

        assertThat(events).extracting(e -> ((TokenRejectedEvent) e).sub()).containsExactly(null, null, null);
        assertThat(stub.jwksFetchCount()).as("a rejection never fetches keys").isEqualTo(fetches);
    }

    @Test
    void rejection_beforeAnyKeyIsHeld_reportsNoSubject_fetchesNoKeys() {
        StubTokens ivan = stub.login(CLIENT, "ivan");
        engine.cutOff(ivan.accessClaims().getSubject());

        engine.reportRejection("/api", ivan.accessToken());

        assertThat(events).containsExactly(new TokenRejectedEvent(clock.instant(), "/api", null,
                TokenRejectedEvent.Match.SIGNED_OUT));
        assertThat(stub.jwksFetchCount()).isZero();
    }

    @Test
    void rejection_expiredGenuineToken_stillReportsItsSubject() {
        StubTokens ivan = stub.login(CLIENT, "ivan");
        engine.logout(stub.login(CLIENT, "judy").accessToken(), null);
        engine.cutOff(ivan.accessClaims().getSubject());
        clock.advance(Duration.ofHours(3));
        events.clear();

        engine.reportRejection("/api", ivan.idToken());

        assertThat(events).containsExactly(new TokenRejectedEvent(clock.instant(), "/api",
                ivan.accessClaims().getSubject(), TokenRejectedEvent.Match.SIGNED_OUT));
    }

    @Test
    void events_neverCarryAToken() {
        StubTokens judy = stub.login(CLIENT, "judy");
        cognito.onRevoke(t -> NOT_ACCEPTED);
        engine.logout(judy.accessToken(), judy.refreshToken());
        engine.signOutEverywhere(judy.accessToken());
        engine.reportRejection("/x", judy.accessToken());

        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.toString())
                .doesNotContain(judy.accessToken(), judy.refreshToken(), judy.idToken()));
    }

    @Test
    void typeWithoutDelivery_isNeverBuilt_andNoDeliveryAtAllDeliversNothing() {
        Set<Class<?>> asked = new HashSet<>();
        List<Object> delivered = new ArrayList<>();
        EventPublisher onlyRejections = new EventPublisher(clock, new EventPublisher.Delivery() {
            @Override
            public <T> Consumer<T> to(Class<T> type) {
                asked.add(type);
                return type == TokenRejectedEvent.class ? delivered::add : null;
            }
        });
        EventPublisher none = new EventPublisher(clock, new EventPublisher.Delivery() {
            @Override
            public <T> Consumer<T> to(Class<T> type) {
                return null;
            }
        });

        onlyRejections.loggedOut(new LogoutResult(Status.COMPLETED, true, Optional.empty()), "sub", "jti");
        onlyRejections.rejected("/p", "sub", TokenRejectedEvent.Match.JTI);

        assertThat(asked).containsExactlyInAnyOrder(LogoutEvent.class, SignOutEverywhereEvent.class,
                PendingRevocationEvent.class, TokenRejectedEvent.class);
        assertThat(delivered).singleElement().isInstanceOf(TokenRejectedEvent.class);
        assertThat(onlyRejections.delivers()).isTrue();
        assertThat(none.delivers()).isFalse();
    }
}
