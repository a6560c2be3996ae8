package io.github.cognitorevoke.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the stub's {@code DescribeUserPoolClient} answers for one client, as a test sets it through
 * {@link CognitoStub#configureAppClient}. The stub mints ID tokens with the access-token validity
 * whatever {@link #idTokenValidity} says: it only changes the answer.
 */
public final class AppClientSettings {

    /** The ID-token validity answered; null: the access-token validity. */
    public Duration idTokenValidity;
    /** The refresh-token validity answered; default 30 days. */
    public Duration refreshTokenValidity;
    /** {@code TokenValidityUnits}: access, ID, refresh; default minutes, minutes, days. */
    public String accessUnit;
    /** See {@link #accessUnit}. */
    public String idUnit;
    /** See {@link #accessUnit}. */
    public String refreshUnit;
    /** {@code LastModifiedDate}; default the stub clock's time at {@link CognitoStub#addClient}. */
    public Instant lastModified;
    /** {@code RefreshTokenRotation.Feature} ENABLED. */
    public boolean rotation;
    /** {@code RefreshTokenRotation.RetryGracePeriodSeconds}, 0 to 60. */
    public int gracePeriodSeconds;

    AppClientSettings(UserPool.Client client) {
        idTokenValidity = client.idTokenValidity;
        refreshTokenValidity = client.refreshTokenValidity;
        accessUnit = client.units[0];
        idUnit = client.units[1];
        refreshUnit = client.units[2];
        lastModified = client.lastModified;
        rotation = client.rotation;
        gracePeriodSeconds = client.gracePeriodSeconds;
    }

    void store(UserPool.Client client) {
        if (gracePeriodSeconds < 0 || gracePeriodSeconds > 60) {
            throw new IllegalArgumentException("gracePeriodSeconds must be 0 to 60: " + gracePeriodSeconds);
        }
        client.idTokenValidity = idTokenValidity;
        client.refreshTokenValidity = Objects.requireNonNull(refreshTokenValidity, "refreshTokenValidity");
        client.units = new String[] {unit(accessUnit), unit(idUnit), unit(refreshUnit)};
        client.lastModified = Objects.requireNonNull(lastModified, "lastModified");
        client.rotation = rotation;
        client.gracePeriodSeconds = gracePeriodSeconds;
    }

    private static String unit(String unit) {
        if (!java.util.Set.of("seconds", "minutes", "hours", "days").contains(unit)) {
            throw new IllegalArgumentException("a validity unit is seconds, minutes, hours or days: " + unit);
        }
        return unit;
    }
}
