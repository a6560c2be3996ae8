package io.github.cognitorevoke.testing;

/**
 * One {@code RevokeToken} request as {@link CognitoStub} received it, recorded before the answer
 * went out, so a test can assert what the library sent and what it was told.
 *
 * <p>{@link #toString()} never shows the token or the secret.
 *
 * @param token the {@code Token} field as sent, or {@code null} when absent or not a string
 * @param clientId the {@code ClientId} field as sent, or {@code null}
 * @param clientSecret the {@code ClientSecret} field as sent, or {@code null} when absent
 * @param authorizationHeaderPresent whether the request carried an {@code Authorization} header;
 *     RevokeToken is not IAM-authorized, so the library must call anonymously (no SigV4)
 * @param httpStatus the status answered, or {@link #CONNECTION_RESET} when the stub closed the
 *     connection without answering
 * @param errorType the {@code __type} answered, or {@code null} on success or reset
 */
public record RevokeCall(
        String token,
        String clientId,
        String clientSecret,
        boolean authorizationHeaderPresent,
        int httpStatus,
        String errorType) {

    /** {@link #httpStatus()} of a call answered by closing the connection (no HTTP status). */
    public static final int CONNECTION_RESET = 0;

    /**
     * Whether a {@code ClientSecret} field was sent.
     *
     * @return {@code true} if the request carried a client secret
     */
    public boolean clientSecretPresent() {
        return clientSecret != null;
    }

    /**
     * Whether the stub closed the connection instead of answering.
     *
     * @return {@code true} for an injected connection reset
     */
    public boolean connectionReset() {
        return httpStatus == CONNECTION_RESET;
    }

    /**
     * Whether the call was answered with HTTP 200.
     *
     * @return {@code true} on success
     */
    public boolean succeeded() {
        return httpStatus == 200;
    }

    @Override
    public String toString() {
        return "RevokeCall[clientId=" + clientId
                + ", token=" + (token == null ? "absent" : "<" + token.length() + " chars>")
                + ", clientSecret=" + (clientSecret == null ? "absent" : "present")
                + ", authorizationHeaderPresent=" + authorizationHeaderPresent
                + ", httpStatus=" + httpStatus
                + ", errorType=" + errorType + "]";
    }
}
