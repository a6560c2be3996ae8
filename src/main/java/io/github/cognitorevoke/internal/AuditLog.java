package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult;

/**
 * One INFO line per logout and per sign-out everywhere, through the logger {@value #LOGGER}, with
 * the outcome and the non-secret ids ({@code sub}, {@code jti}); never a token. Requests refused
 * before anything changed (no token, a token that fails verification) and logouts with a refresh
 * token alone that Cognito did not accept are not logged here: anyone could flood the log with them.
 */
final class AuditLog implements RevocationObserver {

    /** The logger's name, so operators can route or silence it on its own. */
    static final String LOGGER = "io.github.cognitorevoke.audit";

    private final System.Logger log;

    AuditLog() {
        this(System.getLogger(LOGGER));
    }

    AuditLog(System.Logger log) {
        this.log = log;
    }

    @Override
    public void loggedOut(LogoutResult result, String sub, String jti) {
        if (log.isLoggable(System.Logger.Level.INFO)) {
            log.log(System.Logger.Level.INFO, "cognito-revoke audit: logout " + outcome(result)
                    + " accessTokenDenylisted=" + result.accessTokenDenylisted()
                    + " sub=" + id(sub) + " jti=" + id(jti)
                    // Added last, so that a parser of the earlier fields reads the line as before.
                    + " signInEnded=" + result.signInEnded());
        }
    }

    @Override
    public void signedOutEverywhere(LogoutResult result, String sub) {
        if (log.isLoggable(System.Logger.Level.INFO)) {
            log.log(System.Logger.Level.INFO, "cognito-revoke audit: signOutEverywhere " + outcome(result)
                    + " sub=" + id(sub));
        }
    }

    @Override
    public void signedOutByAdministrator(LogoutResult result, String sub) {
        if (log.isLoggable(System.Logger.Level.INFO)) {
            log.log(System.Logger.Level.INFO, "cognito-revoke audit: signOutByAdministrator " + outcome(result)
                    + " sub=" + id(sub));
        }
    }

    private static String outcome(LogoutResult result) {
        return "status=" + result.status()
                + " reason=" + result.refusal().map(r -> r.reason().name()).orElse("-");
    }

    /** The ids come from verified tokens; control characters are still kept out of the log line. */
    private static String id(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder s = new StringBuilder(value.length());
        value.codePoints().limit(128).forEach(c -> s.appendCodePoint(Character.isISOControl(c) || c == ' ' ? '?' : c));
        return s.toString();
    }
}
