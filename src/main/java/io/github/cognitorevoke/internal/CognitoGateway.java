package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import java.util.Objects;

/**
 * The engine's view of Cognito: the two calls of a logout, each answered by an {@link Outcome},
 * and the administrator's calls that need AWS credentials (reading the app client, signing a user
 * out by username), which throw {@link AdminCallException} when they cannot run. The production
 * implementation is {@link SdkCognitoGateway}; tests script one, so retry and expiry rules are
 * tested without a wire.
 */
public interface CognitoGateway extends AutoCloseable {

    /** What a call to Cognito came to. */
    sealed interface Outcome permits Done, Retry, Refused {
    }

    /** Cognito did it. */
    record Done() implements Outcome {
    }

    /**
     * Cognito could not be reached or asked to slow down: try again later.
     *
     * @param cause              a short cause for the log that names the endpoint and the root cause, never a token
     * @param operator           what an operator should check, or null when it is just a passing failure
     * @param refusedIfUnverified what work without a verified access token gets instead of a retry,
     *                           or null when it is retried like any other
     * @param warningKey         what its warning is keyed by (a {@link CognitoError} row, never text
     *                           from the wire), or null for no warning
     */
    record Retry(String cause, String operator, Refused refusedIfUnverified, String warningKey) implements Outcome {
        /**
         * Checks the cause.
         *
         * @param cause              the cause
         * @param operator           the operator's hint or null
         * @param refusedIfUnverified the refusal for unverified work, or null
         * @param warningKey         the warning's key, or null
         */
        public Retry {
            Objects.requireNonNull(cause, "cause");
        }

        /**
         * A retry whose warning is keyed by its cause.
         *
         * @param cause              the cause
         * @param operator           the operator's hint or null
         * @param refusedIfUnverified the refusal for unverified work, or null
         */
        public Retry(String cause, String operator, Refused refusedIfUnverified) {
            this(cause, operator, refusedIfUnverified, "retry:" + cause);
        }

        /**
         * A retry for every kind of work.
         *
         * @param cause    the cause
         * @param operator the operator's hint or null
         */
        public Retry(String cause, String operator) {
            this(cause, operator, null, "retry:" + cause);
        }
    }

    /**
     * Cognito refused for a reason that retrying will not fix.
     *
     * @param reason       the typed reason
     * @param cognitoError the Cognito error name (informational)
     * @param description  for the client
     * @param operator     for the log: the likely cause and the fix, or null when the client is at fault
     */
    record Refused(Reason reason, String cognitoError, String description, String operator) implements Outcome {
        /**
         * Checks the components.
         *
         * @param reason       the typed reason
         * @param cognitoError the Cognito error name
         * @param description  for the client
         * @param operator     for the log, or null
         */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(cognitoError, "cognitoError");
            Objects.requireNonNull(description, "description");
        }

        /** @return true when the presented token is at fault, false for the app's setup */
        public boolean clientFault() {
            return reason.clientFault();
        }

        /** @return what its warning is keyed by: its {@link CognitoError} row, never text from the wire */
        public String warningKey() {
            return CognitoError.ofAnswer(cognitoError, 400).warningKey(SdkCognitoGateway.WARN_LOGOUT);
        }
    }

    /**
     * Revokes a refresh token (and every access and ID token issued from it).
     *
     * @param refreshToken the refresh token
     * @return the outcome; never throws for a Cognito or network failure
     */
    Outcome revoke(String refreshToken);

    /**
     * Signs the user out of every device (invalidates all their refresh tokens).
     *
     * @param accessToken the user's access token, which authorizes the call
     * @return the outcome; never throws for a Cognito or network failure
     */
    Outcome globalSignOut(String accessToken);

    /**
     * Reads the app client's settings ({@code DescribeUserPoolClient}, signed with the AWS
     * credentials of the SDK's default chain). Never called on a request's path.
     *
     * @return the settings
     * @throws AdminCallException if there are no credentials, they may not read it, or Cognito failed
     */
    default AppClient describeClient() {
        throw new AdminCallException(AdminCallException.Cause.NO_CREDENTIALS, "this gateway reads no app client");
    }

    /**
     * Finds a user's {@code sub} from the username ({@code AdminGetUser}, signed).
     *
     * @param username the username (or an alias Cognito accepts in its place)
     * @return the {@code sub} attribute
     * @throws AdminCallException if there are no credentials, the user does not exist, or Cognito failed
     */
    default String subjectOf(String username) {
        throw new AdminCallException(AdminCallException.Cause.NO_CREDENTIALS, "this gateway makes no admin calls");
    }

    /**
     * Signs a user out of every device by username ({@code AdminUserGlobalSignOut}, signed).
     *
     * @param username the username
     * @return the outcome
     * @throws AdminCallException if there are no credentials or they may not make the call
     */
    default Outcome adminSignOut(String username) {
        throw new AdminCallException(AdminCallException.Cause.NO_CREDENTIALS, "this gateway makes no admin calls");
    }

    /** Releases the client. */
    @Override
    void close();
}
