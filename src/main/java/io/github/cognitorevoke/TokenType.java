package io.github.cognitorevoke;

/** The two kinds of Cognito token that a request can present to cognito-revoke. */
public enum TokenType {
    /** The access token (a signed JWT), usually sent as {@code Authorization: Bearer}. */
    ACCESS,
    /** The refresh token (opaque to the application), sent at logout only. */
    REFRESH
}
