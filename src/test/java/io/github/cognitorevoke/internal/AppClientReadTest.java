package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.LogoutResult.Status;
import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.AdminCall;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;

/**
 * The app client's real settings read at deployment (DescribeUserPoolClient, signed) over the real
 * AWS SDK against the wire stub: what fails the deployment, what is only said once, and the entry
 * lifetimes that follow the validities read.
 */
class AppClientReadTest {

    private static final String CLIENT = "webclient";
    static final AwsCredentialsProvider TEST_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret-key"));
    private static final AwsCredentialsProvider NO_CREDENTIALS = () -> {
        throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
    };

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private CognitoStub stub;

    @BeforeEach
    void start() {
        stub = CognitoStub.start();
        Logger.getLogger("io.github.cognitorevoke").addHandler(handler);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("io.github.cognitorevoke").removeHandler(handler);
        stub.close();
    }

    private RevocationSettings.Builder settings() {
        return RevocationSettings.builder(stub.region(), stub.userPoolId(), CLIENT)
                .endpoint(stub.endpoint().toString()).issuer(stub.issuer()).jwksUri(stub.jwksUri());
    }

    private Installation install(RevocationSettings settings, AwsCredentialsProvider credentials) {
        return Installation.builder(settings).credentials(credentials).build();
    }

    private List<String> messages(Level level) {
        return logged.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    @Test
    void deployment_revocationSwitchedOff_failsNamingTheCognitoSetting() {
        stub.addClient(CLIENT, null, false);

        assertThatThrownBy(() -> install(settings().build(), TEST_CREDENTIALS))
                .isInstanceOf(RevocationConfigurationException.class)
                .hasMessageContaining("'clientId'").hasMessageContaining("EnableTokenRevocation=true");
        assertThat(stub.adminCalls()).containsExactly(new AdminCall("DescribeUserPoolClient", true, null));
    }

    @Test
    void deployment_logoutUriNotAllowed_failsNamingTheSettingAndTheAllowedUrls() {
        stub.addClient(CLIENT, null, true);
        stub.setLogoutUrls(CLIENT, "https://app.example/signed-out");
        RevocationSettings s = settings().cognitoDomain(stub.managedLoginDomain().toString())
                .logoutUri("https://app.example/bye").build();

        assertThatThrownBy(() -> install(s, TEST_CREDENTIALS))
                .isInstanceOf(RevocationConfigurationException.class)
                .hasMessageContaining("'logoutUri'").hasMessageContaining("LogoutURLs")
                .hasMessageContaining("https://app.example/signed-out");
    }

    @Test
    void deployment_logoutUriAllowed_deploys() {
        stub.addClient(CLIENT, null, true);
        stub.setLogoutUrls(CLIENT, "https://app.example/bye");
        RevocationSettings s = settings().cognitoDomain(stub.managedLoginDomain().toString())
                .logoutUri("https://app.example/bye").build();

        try (Installation installation = install(s, TEST_CREDENTIALS)) {
            assertThat(installation.engine().lifetimes().appClientLifetime()).isEqualTo(Duration.ofHours(1));
        }
        assertThat(messages(Level.INFO)).anySatisfy(m -> assertThat(m).contains("app client webclient read")
                .contains("access tokens PT1H"));
    }

    @Test
    void deployment_withoutCredentials_oneInfoLine_defaultsKept_revocationOffNotChecked() {
        stub.addClient(CLIENT, null, false);

        try (Installation installation = install(settings().build(), NO_CREDENTIALS)) {
            assertThat(installation.engine().lifetimes()).isEqualTo(new Lifetimes(Duration.ofDays(1),
                    Duration.ofMinutes(1)));
        }
        assertThat(messages(Level.INFO)).filteredOn(m -> m.contains("DescribeUserPoolClient")).singleElement()
                .satisfies(m -> assertThat(m).contains("no AWS credentials were found")
                        .contains("not checked").contains("maxTokenLifetime=PT24H"));
        assertThat(messages(Level.WARNING)).isEmpty();
        assertThat(stub.adminCalls()).isEmpty();
    }

    @Test
    void deployment_cognitoDown_deploysWithDefaults() {
        stub.addClient(CLIENT, null, false);
        RevocationSettings s = RevocationSettings.builder(stub.region(), stub.userPoolId(), CLIENT)
                .endpoint("http://127.0.0.1:9").issuer(stub.issuer()).jwksUri(stub.jwksUri())
                .cognitoTimeout(Duration.ofSeconds(2)).build();

        try (Installation installation = install(s, TEST_CREDENTIALS)) {
            assertThat(installation.engine().lifetimes().appClientLifetime()).isNull();
        }
        assertThat(messages(Level.INFO)).anySatisfy(m -> assertThat(m).contains("were not read")
                .contains("DescribeUserPoolClient failed"));
    }

    @Test
    void stub_unsignedDescribe_refused() {
        stub.addClient(CLIENT, null, true);
        try (CognitoIdentityProviderClient anonymous = CognitoIdentityProviderClient.builder()
                .region(Region.of(stub.region())).endpointOverride(stub.endpoint())
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            assertThatThrownBy(() -> anonymous.describeUserPoolClient(r -> r.userPoolId(stub.userPoolId())
                    .clientId(CLIENT))).isInstanceOfSatisfying(CognitoIdentityProviderException.class, e ->
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingAuthenticationTokenException"));
        }
        assertThat(stub.adminCalls()).containsExactly(
                new AdminCall("DescribeUserPoolClient", false, "MissingAuthenticationTokenException"));
    }

    @Test
    void describe_unitsAndRotation_readAsCognitoWritesThem() {
        stub.addClient(CLIENT, null, true);
        stub.setAccessTokenValidity(Duration.ofMinutes(90));
        stub.setLogoutUrls(CLIENT, "https://a.example/out");
        stub.setCallbackUrls(CLIENT, "https://a.example/in");
        Instant modified = Instant.parse("2026-01-02T03:04:05Z");
        stub.configureAppClient(CLIENT, c -> {
            c.accessUnit = "seconds";
            c.idTokenValidity = Duration.ofHours(5);
            c.idUnit = "hours";
            c.refreshTokenValidity = Duration.ofDays(10);
            c.rotation = true;
            c.gracePeriodSeconds = 30;
            c.lastModified = modified;
        });

        try (SdkCognitoGateway gateway = new SdkCognitoGateway(settings().build(), TEST_CREDENTIALS)) {
            assertThat(gateway.describeClient()).isEqualTo(new AppClient(Duration.ofMinutes(90), Duration.ofHours(5),
                    Duration.ofDays(10), true, true, Duration.ofSeconds(30), List.of("https://a.example/out"),
                    List.of("https://a.example/in"), modified));
        }
    }

    /** An engine on the clock that read a client (1-hour tokens) last modified that long ago. */
    private RevocationEngine readingEngine(TestClock clock, Duration modifiedAgo) {
        stub.addClient(CLIENT, null, true);
        stub.configureAppClient(CLIENT, c -> c.lastModified = clock.instant().minus(modifiedAgo));
        RevocationSettings s = settings().build();
        RevocationEngine engine = RevocationEngine.builder(s).clock(clock)
                .cognito(new SdkCognitoGateway(s, TEST_CREDENTIALS)).build();
        engine.readAppClient();
        return engine;
    }

    @Test
    void familyEntry_followsTheOneHourValidity_onceTokensOfEarlierSettingsHaveExpired() {
        TestClock clock = TestClock.atNow();
        try (RevocationEngine engine = readingEngine(clock, Duration.ofDays(2))) {
            StubTokens t = stub.login(CLIENT, "alice");
            assertThat(engine.logout(t.accessToken(), t.refreshToken()).status()).isEqualTo(Status.COMPLETED);
            assertThat(engine.isRevoked(t.idToken())).isTrue();

            clock.advance(Duration.ofHours(1).plusMinutes(1).plusSeconds(1));

            assertThat(engine.isRevoked(t.idToken())).as("family entry gone after 1 h + skew").isFalse();
        }
    }

    @Test
    void familyEntry_clientModifiedRecently_keepsTheConfiguredDay() {
        TestClock clock = TestClock.atNow();
        try (RevocationEngine engine = readingEngine(clock, Duration.ofHours(2))) {
            StubTokens t = stub.login(CLIENT, "alice");
            engine.logout(t.accessToken(), t.refreshToken());

            clock.advance(Duration.ofHours(20));

            assertThat(engine.isRevoked(t.idToken()))
                    .as("a token issued before the change may live a day: the family is kept").isTrue();
        }
    }

    @Test
    void hourlyRead_logoutUriRemoved_warnsOnce_validityChangeApplied() {
        stub.addClient(CLIENT, null, true);
        stub.setLogoutUrls(CLIENT, "https://app.example/bye");
        RevocationSettings s = settings().cognitoDomain(stub.managedLoginDomain().toString())
                .logoutUri("https://app.example/bye").build();
        try (RevocationEngine engine = RevocationEngine.builder(s)
                .cognito(new SdkCognitoGateway(s, TEST_CREDENTIALS)).build()) {
            engine.readAppClient();
            stub.setLogoutUrls(CLIENT, "https://app.example/other");
            stub.setAccessTokenValidity(Duration.ofMinutes(30));

            engine.readAppClientAgain();
            engine.readAppClientAgain();

            assertThat(messages(Level.WARNING)).singleElement()
                    .satisfies(m -> assertThat(m).contains("is not among the allowed sign-out URLs"));
            assertThat(engine.lifetimes().appClientLifetime()).isEqualTo(Duration.ofMinutes(30));
        }
    }
}
