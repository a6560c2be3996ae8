package io.github.cognitorevoke.testing;

/**
 * A Cognito error as {@link CognitoStub} answers it on the wire ({@code __type} and HTTP status),
 * also thrown by the stub's Java methods (for example {@link CognitoStub#refresh} of a revoked
 * family) so that a test sees the same error name either way. Messages never contain a token.
 */
public final class CognitoStubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The {@code __type} answered. */
    private final String errorType;
    /** The HTTP status answered. */
    private final int httpStatus;

    /**
     * Creates an error with the status Cognito answers it with ({@link CognitoStub#httpStatusOf}).
     *
     * @param errorType the {@code __type}, e.g. {@code NotAuthorizedException}
     * @param message the {@code message}; must not contain a token or a secret
     */
    public CognitoStubException(String errorType, String message) {
        this(errorType, message, CognitoStub.httpStatusOf(errorType));
    }

    /**
     * Creates an error with an explicit HTTP status.
     *
     * @param errorType the {@code __type}
     * @param message the {@code message}; must not contain a token or a secret
     * @param httpStatus the HTTP status to answer with
     */
    public CognitoStubException(String errorType, String message, int httpStatus) {
        super(errorType + ": " + message);
        this.errorType = errorType;
        this.httpStatus = httpStatus;
    }

    /**
     * The error's name as sent in {@code __type}.
     *
     * @return e.g. {@code UnauthorizedException}
     */
    public String errorType() {
        return errorType;
    }

    /**
     * The HTTP status the stub answers this error with.
     *
     * @return 400 or 500 unless injected otherwise
     */
    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code message} field: the exception message without the type prefix. */
    String wireMessage() {
        return getMessage().substring(errorType.length() + 2);
    }
}
