package io.github.cognitorevoke;

/**
 * A presented access token failed verification: bad signature, foreign issuer or client, wrong
 * {@code token_use}, expired, or not a signed JWT at all. Nothing was denylisted and nothing was
 * revoked. {@link RevocationFilter} answers it with 401 and RFC 6750's {@code invalid_token}.
 */
public final class InvalidTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param description why the token was rejected, safe to show to the client; never the token
     */
    public InvalidTokenException(String description) {
        super(description, null, false, false);
    }
}
