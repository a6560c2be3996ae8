package io.github.cognitorevoke.internal;

/**
 * The entry that ends one sign-in: every token Cognito issues for one sign-in (the first access, ID
 * and refresh tokens, and everything refreshed from them, however the refresh tokens rotate) carries
 * the same {@code sub} and {@code auth_time}, so this pair names the sign-in whatever becomes of
 * {@code origin_jti} on rotation.
 *
 * <p>An entry rejects the sign-in's tokens issued ({@code iat}) until a bound: those minted before the
 * logout and within the rotation grace period after it. A later token that carries the same
 * {@code auth_time} (a new sign-in in the same second; a managed-login session that reissues tokens
 * with the time of its first authentication) is not rejected.
 *
 * <p>The entry travels as a token id of a reserved form,
 * {@code "sign-in <auth_time> <issued until> <sub>"}, so that
 * the shared tier writes, publishes, replays and loads it exactly as every other id (same keys, same
 * scripts, same caps); a denylist that keeps sign-ins apart ({@link CaffeineDenylist}) recognises the
 * form when such an id is added. A Cognito {@code jti} or {@code origin_jti} is a UUID and never has
 * this form; the engine still refuses to denylist a token id that has it, so that no token, however
 * issued, can write a sign-in entry other than through its own verified {@code sub} and
 * {@code auth_time}.
 */
final class SignIn {

    /** What every sign-in id starts with: a space, which no Cognito id has. */
    static final String PREFIX = "sign-in ";

    private SignIn() {
    }

    /**
     * The id of a sign-in's entry.
     *
     * @param subject     the {@code sub}
     * @param authTime    the {@code auth_time} in epoch seconds
     * @param issuedUntil the last {@code iat} (epoch seconds) the entry rejects
     * @return its id
     */
    static String id(String subject, long authTime, long issuedUntil) {
        return PREFIX + authTime + " " + issuedUntil + " " + subject;
    }

    /**
     * Tells whether an id has the sign-in form (it may still be malformed).
     *
     * @param id a token id
     * @return true if it starts with {@link #PREFIX}
     */
    static boolean isSignIn(String id) {
        return id.startsWith(PREFIX);
    }

    /**
     * Reads a sign-in id.
     *
     * @param id an id with the sign-in form
     * @return the sign-in, or null if the id is malformed (it is then an ordinary id)
     */
    static Parsed parse(String id) {
        if (!isSignIn(id)) {
            return null;
        }
        int first = id.indexOf(' ', PREFIX.length());
        int second = first < 0 ? -1 : id.indexOf(' ', first + 1);
        if (second < 0 || second == id.length() - 1) {
            return null;
        }
        try {
            return new Parsed(id.substring(second + 1), Long.parseLong(id, PREFIX.length(), first, 10),
                    Long.parseLong(id, first + 1, second, 10));
        } catch (NumberFormatException malformed) {
            return null;
        }
    }

    /**
     * A sign-in read from its id.
     *
     * @param subject     the {@code sub}
     * @param authTime    the {@code auth_time} in epoch seconds
     * @param issuedUntil the last {@code iat} the entry rejects
     */
    record Parsed(String subject, long authTime, long issuedUntil) {
    }
}
