package io.github.cognitorevoke.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The settings of the app client as Cognito's {@code DescribeUserPoolClient} answers them, the
 * validities already converted from their {@code TokenValidityUnits}.
 *
 * @param accessTokenValidity  how long an access token lives
 * @param idTokenValidity      how long an ID token lives
 * @param refreshTokenValidity how long a refresh token lives (counted from the sign-in)
 * @param tokenRevocation      {@code EnableTokenRevocation}
 * @param rotation             {@code RefreshTokenRotation.Feature} is ENABLED
 * @param retryGracePeriod     {@code RefreshTokenRotation.RetryGracePeriodSeconds} (zero without rotation)
 * @param logoutUrls           the allowed sign-out URLs ({@code LogoutURLs})
 * @param callbackUrls         the allowed callback URLs ({@code CallbackURLs})
 * @param lastModified         {@code LastModifiedDate}, or null if Cognito did not say
 */
record AppClient(Duration accessTokenValidity, Duration idTokenValidity, Duration refreshTokenValidity,
                 boolean tokenRevocation, boolean rotation, Duration retryGracePeriod,
                 List<String> logoutUrls, List<String> callbackUrls, Instant lastModified) {

    /** Cognito's defaults where the answer leaves a validity out. */
    static final Duration DEFAULT_ACCESS = Duration.ofMinutes(60);
    static final Duration DEFAULT_ID = Duration.ofMinutes(60);
    static final Duration DEFAULT_REFRESH = Duration.ofDays(30);

    /**
     * Checks the components.
     */
    AppClient {
        Objects.requireNonNull(accessTokenValidity, "accessTokenValidity");
        Objects.requireNonNull(idTokenValidity, "idTokenValidity");
        Objects.requireNonNull(refreshTokenValidity, "refreshTokenValidity");
        Objects.requireNonNull(retryGracePeriod, "retryGracePeriod");
        logoutUrls = List.copyOf(logoutUrls);
        callbackUrls = List.copyOf(callbackUrls);
    }

    /** @return the longer of the access- and ID-token validity: what a family's siblings may live */
    Duration longestTokenValidity() {
        return accessTokenValidity.compareTo(idTokenValidity) >= 0 ? accessTokenValidity : idTokenValidity;
    }

    /**
     * Converts a validity as Cognito writes it.
     *
     * @param amount      the number, or null (then {@code fallback})
     * @param unit        {@code seconds}, {@code minutes}, {@code hours} or {@code days}, any case; null
     *                    for the token's default unit
     * @param defaultUnit the unit Cognito assumes without one (hours for access and ID tokens, days
     *                    for refresh tokens)
     * @param fallback    the default validity
     * @return the validity
     */
    static Duration validity(Integer amount, String unit, String defaultUnit, Duration fallback) {
        if (amount == null) {
            return fallback;
        }
        String u = unit == null || unit.isBlank() ? defaultUnit : unit;
        return switch (u.toLowerCase(java.util.Locale.ROOT)) {
            case "seconds" -> Duration.ofSeconds(amount);
            case "minutes" -> Duration.ofMinutes(amount);
            case "hours" -> Duration.ofHours(amount);
            case "days" -> Duration.ofDays(amount);
            // An unknown unit: the longest reading keeps entries long enough.
            default -> Duration.ofDays(amount);
        };
    }

    /** @return one line for the log: validities, revocation, rotation */
    String describe() {
        return "access tokens " + accessTokenValidity + ", ID tokens "
                + idTokenValidity + ", refresh tokens " + refreshTokenValidity
                + ", token revocation " + (tokenRevocation ? "on" : "off") + ", refresh-token rotation "
                + (rotation ? "on (grace " + retryGracePeriod.toSeconds() + " s)" : "off");
    }
}
