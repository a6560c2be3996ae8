package io.github.cognitorevoke;

/**
 * The request itself is malformed (RFC 6749 {@code invalid_request}): for example two
 * {@code Authorization} headers, a header that is not a well-formed bearer token, or a logout
 * that presents no token at all. Nothing was changed.
 */
public class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param description a description safe to show to the client; never contains a token
     */
    public InvalidRequestException(String description) {
        super(description, null, false, false);
    }
}
