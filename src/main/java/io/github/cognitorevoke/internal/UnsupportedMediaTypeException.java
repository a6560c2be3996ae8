package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.InvalidRequestException;

/**
 * A logout whose body is not a form: its refresh token would be silently ignored, so the request
 * is refused instead ({@code RevocationFilter} answers 415).
 */
public final class UnsupportedMediaTypeException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    /** The only body media type a logout reads. */
    public static final String FORM = "application/x-www-form-urlencoded";

    /**
     * Creates the exception.
     *
     * @param description a description safe to show to the client
     */
    public UnsupportedMediaTypeException(String description) {
        super(description);
    }
}
