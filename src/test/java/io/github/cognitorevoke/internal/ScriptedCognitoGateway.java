package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult.Refusal.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A Cognito that answers as the test scripts it, per call and token, and records every call. No wire. */
final class ScriptedCognitoGateway implements CognitoGateway {

    static final Outcome DONE = new Done();
    static final Outcome THROTTLED = new Retry("Cognito at http://scripted throttled the call (TooManyRequestsException)", null);
    static final Outcome NOT_ACCEPTED = new Refused(Reason.TOKEN_NOT_ACCEPTED, "NotAuthorizedException",
            "The identity provider did not accept the presented token", null);
    static final Outcome MISCONFIGURED = new Refused(Reason.CLIENT_MISCONFIGURED, "UnauthorizedException",
            "The identity provider refused this application's credentials", "check the clientSecret init-param");

    /** AWS WAF's block, as the SDK gateway classifies it. */
    static final Outcome FORBIDDEN = SdkCognitoGateway.classify(
            software.amazon.awssdk.services.cognitoidentityprovider.model.ForbiddenException.builder().build(),
            "webclient", "http://scripted");

    private volatile Function<String, Outcome> revoke = t -> DONE;
    private volatile Function<String, Outcome> globalSignOut = t -> DONE;
    private final List<String> revokeCalls = new ArrayList<>();
    private final List<String> globalSignOutCalls = new ArrayList<>();

    /** Answers every RevokeToken by the token. */
    ScriptedCognitoGateway onRevoke(Function<String, Outcome> answer) {
        this.revoke = answer;
        return this;
    }

    /** Answers every GlobalSignOut by the access token. */
    ScriptedCognitoGateway onGlobalSignOut(Function<String, Outcome> answer) {
        this.globalSignOut = answer;
        return this;
    }

    @Override
    public synchronized Outcome revoke(String refreshToken) {
        revokeCalls.add(refreshToken);
        return revoke.apply(refreshToken);
    }

    @Override
    public synchronized Outcome globalSignOut(String accessToken) {
        globalSignOutCalls.add(accessToken);
        return globalSignOut.apply(accessToken);
    }

    synchronized int revokeCallCount() {
        return revokeCalls.size();
    }

    synchronized long revokeCallsOf(String token) {
        return revokeCalls.stream().filter(token::equals).count();
    }

    synchronized int globalSignOutCallCount() {
        return globalSignOutCalls.size();
    }

    synchronized void clearCalls() {
        revokeCalls.clear();
        globalSignOutCalls.clear();
    }

    @Override
    public void close() {
    }
}
