package io.github.cognitorevoke;

/**
 * A logout's body is in a media type the {@link TokenResolver} does not read, so a refresh token in
 * it would be silently ignored: the request is refused instead of logging out half-way. At logout
 * {@link RevocationFilter} answers 415 with {@code Accept-Post: application/x-www-form-urlencoded};
 * on other requests, where no body is read, it counts as any {@link InvalidRequestException} (400).
 * Nothing was changed.
 */
public final class UnsupportedMediaTypeException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param description a description safe to show to the client; never contains a token
     */
    public UnsupportedMediaTypeException(String description) {
        super(description);
    }
}
