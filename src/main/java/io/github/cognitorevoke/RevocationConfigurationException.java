package io.github.cognitorevoke;

/**
 * A setting of cognito-revoke is missing, unknown or malformed.
 *
 * <p>Thrown while the application deploys, so that a bad {@code web.xml} stops the deployment
 * instead of leaving the application running without revocation. The message names the
 * parameter and, unless it is a secret, the offending value.
 */
public final class RevocationConfigurationException extends RuntimeException {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** The init-param at fault. */
    private final String parameter;

    /**
     * Creates an exception about one parameter.
     *
     * @param parameter the init-param name the problem is about
     * @param message   what is wrong and how to fix it; must not contain a secret
     */
    public RevocationConfigurationException(String parameter, String message) {
        super("cognito-revoke: init-param '" + parameter + "': " + message);
        this.parameter = parameter;
    }

    /**
     * Returns the name of the init-param that is wrong.
     *
     * @return the parameter name, as written in {@code web.xml}
     */
    public String parameter() {
        return parameter;
    }
}
