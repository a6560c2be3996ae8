package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The one table of what a failed Cognito call means to the library: every error Cognito answers to
 * the calls it makes (RevokeToken and GlobalSignOut on a logout; DescribeUserPoolClient, AdminGetUser
 * and AdminUserGlobalSignOut signed with AWS credentials), the errors of GetTokensFromRefreshToken
 * that an application's refresh meets, and the failures that are not answers (network, timeouts).
 * Each row has exactly one outcome per kind of call; nothing else decides.
 *
 * <ul>
 *   <li>{@link #retried}: a logout's call is kept pending and retried in the background (202);
 *       otherwise it is final, with {@link #reason} (the HTTP answer follows from it).</li>
 *   <li>{@link #signed}: what a signed call makes of it ({@link AdminCallException.Cause}).</li>
 *   <li>{@link #warns}: whether the row is worth a WARNING (at most one per row until the call works
 *       again, and at most one an hour; see {@link WarnOnce}); false for a client's own mistake, which
 *       anyone can cause at will.</li>
 * </ul>
 * Warnings are keyed by the row, never by text from the wire, so no answer can make the set of
 * causes grow. {@link #description} is safe to show to a client; {@link #operator} names the likely
 * cause and the fix. Neither ever holds a token or a secret.
 */
enum CognitoError {

    /** Cognito throttled the call (the operation's quota per second). */
    THROTTLED(List.of("TooManyRequestsException"), 400, true, null, AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider asked to slow down",
            "%2$s throttled the call (TooManyRequestsException); a quota increase for the operation may be needed",
            "retry with backoff; the family is untouched"),
    /** Cognito failed internally. */
    INTERNAL_ERROR(List.of("InternalErrorException"), 500, true, null, AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider failed",
            "%2$s failed internally (InternalErrorException)",
            "retry with backoff; the family is untouched"),
    /**
     * AWS WAF's web ACL on the user pool blocked the call. Retried only for work that came with a
     * verified access token: a web ACL may judge a request's content, so a caller could shape junk
     * to be blocked and, retried, fill the cap on unverified work for a day.
     */
    WAF_BLOCKED(List.of("ForbiddenException"), 403, true, Reason.CLIENT_MISCONFIGURED,
            AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider's firewall (AWS WAF) blocked the revocation of the refresh token;"
                    + " it was not done and is not retried",
            "check the AWS WAF web ACL associated with the user pool: it blocks this server's calls to %2$s",
            "the refresh was blocked, not refused: the family is untouched; an operator must fix the web ACL"),
    /** The app client's credentials were refused: a wrong or missing client secret, or the wrong client. */
    CLIENT_UNAUTHORIZED(List.of("UnauthorizedException"), 400, false, Reason.CLIENT_MISCONFIGURED,
            AdminCallException.Cause.ACCESS_DENIED, true,
            "The identity provider refused this application's credentials",
            "Cognito refused the credentials of app client %1$s (UnauthorizedException): check the clientId and"
                    + " clientSecret init-params (a secret is needed exactly when the app client has one); if"
                    + " other logouts succeed, a refresh token of another app client was presented",
            "the application's client secret or client id is wrong: no token of the client can be refreshed"),
    /** The request's parameters were refused: for a logout, the refresh token is malformed. */
    INVALID_PARAMETER(List.of("InvalidParameterException"), 400, false, Reason.MALFORMED_TOKEN,
            AdminCallException.Cause.NOT_FOUND, false,
            "The identity provider rejected the refresh_token as malformed", null,
            "a malformed token (or, on a rotating client, REFRESH_TOKEN_AUTH instead of GetTokensFromRefreshToken)"),
    /** Token revocation is switched off on the app client. */
    REVOCATION_DISABLED(List.of("UnsupportedOperationException"), 400, false, Reason.CLIENT_MISCONFIGURED,
            AdminCallException.Cause.UNAVAILABLE, true,
            "Token revocation is not enabled for this application",
            "token revocation is not enabled on app client %1$s; enable it with UpdateUserPoolClient"
                    + " (EnableTokenRevocation=true)",
            "not answered to a refresh"),
    /** The operation is not enabled for the app client or its pool. */
    OPERATION_NOT_ENABLED(List.of("OperationNotEnabledException"), 400, false, Reason.CLIENT_MISCONFIGURED,
            AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider does not allow this operation",
            "Cognito says the operation is not enabled for app client %1$s or its user pool; enable token"
                    + " revocation on the app client",
            "not answered to a refresh"),
    /** The token presented to RevokeToken is not a refresh token. */
    NOT_A_REFRESH_TOKEN(List.of("UnsupportedTokenTypeException"), 400, false, Reason.NOT_A_REFRESH_TOKEN,
            AdminCallException.Cause.UNAVAILABLE, false,
            "The refresh_token is not a refresh token", null,
            "not answered to a refresh"),
    /**
     * The token was not accepted: revoked, expired, rotated away past its grace period, of another
     * client, or (GlobalSignOut) an access token Cognito no longer accepts. For a signed call, the
     * credentials were not accepted.
     */
    TOKEN_NOT_ACCEPTED(List.of("NotAuthorizedException"), 400, false, Reason.TOKEN_NOT_ACCEPTED,
            AdminCallException.Cause.ACCESS_DENIED, false,
            "The identity provider did not accept the presented token", null,
            "the refresh token is revoked, expired or rotated away past its grace period: it mints nothing more;"
                    + " the tokens it minted before stay valid until their exp unless their family is denylisted"),
    /** A rotated-away refresh token was used again (refresh-token rotation). */
    REFRESH_TOKEN_REUSED(List.of("RefreshTokenReuseException"), 400, false, Reason.TOKEN_NOT_ACCEPTED,
            AdminCallException.Cause.UNAVAILABLE, false,
            "The identity provider did not accept the presented token", null,
            "the refresh token was rotated away: only the newest of the chain mints tokens; a logout with the old"
                    + " one still denylists the family of the access token presented with it"),
    /** The user pool's Lambda trigger failed or refused. */
    LAMBDA_FAILED(List.of("InvalidLambdaResponseException", "UnexpectedLambdaException",
            "UserLambdaValidationException"), 400, false, Reason.CLIENT_MISCONFIGURED,
            AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider's trigger failed",
            "a Lambda trigger of the user pool failed or refused the call to app client %1$s",
            "the pool's pre-token-generation trigger failed: nothing was minted; the family is untouched"),
    /** The app client (or, for a signed call, the pool) does not exist. */
    UNKNOWN_CLIENT(List.of("ResourceNotFoundException"), 400, false, Reason.CLIENT_MISCONFIGURED,
            AdminCallException.Cause.NOT_FOUND, true,
            "The identity provider does not know this application",
            "%2$s does not know app client %1$s (ResourceNotFoundException): check the clientId, userPoolId,"
                    + " region and endpoint init-params (for a signed call, also whether the AWS credentials"
                    + " belong to the pool's account)",
            "the client id is wrong: no token of the client can be refreshed"),
    /** The user does not exist (signed calls by username; GlobalSignOut of a deleted user). */
    USER_NOT_FOUND(List.of("UserNotFoundException"), 400, false, Reason.TOKEN_NOT_ACCEPTED,
            AdminCallException.Cause.NOT_FOUND, false,
            "The identity provider does not know the token's user", null,
            "the user was deleted: the family can mint nothing more"),
    /** The AWS credentials of a signed call are missing, wrong, expired or not allowed the operation. */
    IAM_DENIED(List.of("AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
            "ExpiredTokenException", "MissingAuthenticationTokenException", "IncompleteSignature",
            "InvalidClientTokenId"), 400, false, Reason.CLIENT_MISCONFIGURED,
            AdminCallException.Cause.ACCESS_DENIED, true,
            "The identity provider refused the revocation",
            "%2$s answered %3$s: it refused AWS credentials",
            "not answered to a refresh (it is not IAM-authorized)"),
    /** Any other answer with a 5xx status (or 429). */
    OTHER_SERVER_ERROR(List.of(), 503, true, null, AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider failed",
            "%2$s answered %3$s",
            "retry with backoff"),
    /** Any other 4xx answer: an error this table does not know, read as the setup's fault. */
    OTHER_REFUSAL(List.of(), 400, false, Reason.CLIENT_MISCONFIGURED, AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider refused the revocation",
            "%2$s answered %3$s for app client %1$s, an error this library does not know",
            "unknown: treat as the setup's fault"),
    /** No answer: connection refused or reset, unknown host, TLS failure. */
    NETWORK(List.of(), 0, true, null, AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider could not be reached",
            "%2$s could not be reached",
            "retry with backoff; the family is untouched"),
    /** No answer within {@code cognitoTimeout}. The call may have arrived: revoking again is harmless. */
    TIMEOUT(List.of(), 0, true, null, AdminCallException.Cause.UNAVAILABLE, true,
            "The identity provider did not answer in time",
            "%2$s did not answer within cognitoTimeout",
            "retry with backoff");

    /** The longest error name written anywhere; Cognito's longest is under 50 characters. */
    private static final int MAX_CODE = 64;

    private final List<String> codes;
    private final int httpStatus;
    private final boolean retried;
    private final Reason reason;
    private final AdminCallException.Cause signed;
    private final boolean warns;
    private final String description;
    private final String operator;
    private final String onRefresh;

    CognitoError(List<String> codes, int httpStatus, boolean retried, Reason reason, AdminCallException.Cause signed,
                 boolean warns, String description, String operator, String onRefresh) {
        this.codes = codes;
        this.httpStatus = httpStatus;
        this.retried = retried;
        this.reason = reason;
        this.signed = signed;
        this.warns = warns;
        this.description = description;
        this.operator = operator;
        this.onRefresh = onRefresh;
    }

    /** @return the error names Cognito sends for this row ({@code __type}); empty for the catch-all rows */
    List<String> codes() {
        return codes;
    }

    /** @return the HTTP status Cognito answers this row with; 0 when there is no answer */
    int httpStatus() {
        return httpStatus;
    }

    /** @return true when a logout's call is kept pending and retried; false when it is final */
    boolean retried() {
        return retried;
    }

    /**
     * @return the refusal of a logout's call when final, or, for {@link #WAF_BLOCKED}, the refusal of
     *         work without a verified access token; null for rows that are retried
     */
    Reason reason() {
        return reason;
    }

    /** @return what a signed call (app client read, admin sign-out) makes of this row */
    AdminCallException.Cause signed() {
        return signed;
    }

    /** @return whether an operator gets a WARNING (once per row until the call works again) */
    boolean warns() {
        return warns;
    }

    /**
     * @return whether a signed call's failure is one an operator must fix (missing IAM permission,
     *         unknown client, a refusal of the setup): a WARNING, once per row; a passing failure is
     *         not, nor is an unknown user
     */
    boolean signedMustFix() {
        return signed == AdminCallException.Cause.ACCESS_DENIED || (warns && !retried);
    }

    /** @return a description safe to show to a client */
    String description() {
        return description;
    }

    /** @return what it means to an application whose GetTokensFromRefreshToken gets it, for the token's family */
    String onRefresh() {
        return onRefresh;
    }

    /**
     * What an operator reads: the likely cause and the fix.
     *
     * @param clientId the app client
     * @param at       "Cognito at &lt;endpoint&gt;"
     * @param answered the answer, e.g. "ServiceUnavailable (HTTP 503)", or the root cause of no answer
     * @return the text, or null for a client's own mistake
     */
    String operator(String clientId, String at, String answered) {
        return operator == null ? null : String.format(operator, clientId, at, answered);
    }

    /** @return the key of this row's warning: a call's kind and the row, never text from the wire */
    String warningKey(String kind) {
        return kind + ":" + name();
    }

    /**
     * Finds the row of a failure of a call to Cognito.
     *
     * @param e the failure the SDK threw
     * @return its row; never null
     */
    static CognitoError of(Throwable e) {
        if (e instanceof AwsServiceException ase) {
            return ofAnswer(code(ase), ase.statusCode());
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
                    || t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return TIMEOUT;
            }
        }
        return NETWORK;
    }

    /**
     * Finds the row of an error answer.
     *
     * @param code       the error name ({@code __type} or {@code x-amzn-ErrorType}), or null
     * @param httpStatus the HTTP status
     * @return its row; never null
     */
    static CognitoError ofAnswer(String code, int httpStatus) {
        if (code != null) {
            for (CognitoError row : values()) {
                if (row.codes.contains(code)) {
                    return row;
                }
            }
        }
        if (httpStatus == 403) {
            return IAM_DENIED;
        }
        return httpStatus >= 500 || httpStatus == 429 ? OTHER_SERVER_ERROR : OTHER_REFUSAL;
    }

    /**
     * The error name of a service exception: the one on the wire, else (an exception built without
     * details, in tests) the SDK class's simple name.
     *
     * @param e the exception
     * @return the name, or "HTTP &lt;status&gt;" when there is none
     */
    static String code(AwsServiceException e) {
        if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            // Written into warnings and results: one short word, whatever the endpoint sent.
            String code = e.awsErrorDetails().errorCode().replaceAll("[^A-Za-z0-9_.#:-]", "");
            return code.isEmpty() ? "HTTP " + e.statusCode()
                    : code.length() > MAX_CODE ? code.substring(0, MAX_CODE) + "..." : code;
        }
        String simple = e.getClass().getSimpleName();
        return simple.endsWith("Exception") && !e.getClass().equals(AwsServiceException.class)
                ? simple : "HTTP " + e.statusCode();
    }

    /** @return every error name the table knows, in table order */
    static List<String> knownCodes() {
        return Arrays.stream(values()).flatMap(r -> r.codes.stream()).toList();
    }
}
