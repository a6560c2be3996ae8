package io.github.cognitorevoke.support;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What points cognito-revoke at a Cognito wire stub, as settings or as the filter's init-params:
 * region, user pool, app client, and the stub's endpoint, issuer and key set.
 */
public final class StubSettings {

    /** The app client the fixtures point at unless told another; the test registers it at the stub. */
    public static final String CLIENT = "webclient";

    private StubSettings() {
    }

    /**
     * @param stub the running stub
     * @param clientId the app client registered at the stub
     * @return a builder for the test to add to
     */
    public static RevocationSettings.Builder builder(CognitoStub stub, String clientId) {
        return RevocationSettings.builder(stub.region(), stub.userPoolId(), clientId)
                .endpoint(stub.endpoint().toString())
                .issuer(stub.issuer())
                .jwksUri(stub.jwksUri());
    }

    /**
     * The filter's init-params, in this order, plus a generous {@code cognitoTimeout}: the first SDK
     * call of a JVM (a fresh server's, in a test WAR) loads many classes.
     *
     * @param stub the running stub
     * @param clientId the app client registered at the stub
     * @return a mutable map, for further params
     */
    public static Map<String, String> initParameters(CognitoStub stub, String clientId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("region", stub.region());
        params.put("userPoolId", stub.userPoolId());
        params.put("clientId", clientId);
        params.put("endpoint", stub.endpoint().toString());
        params.put("issuer", stub.issuer());
        params.put("jwksUri", stub.jwksUri());
        params.put("cognitoTimeout", "20s");
        return params;
    }
}
