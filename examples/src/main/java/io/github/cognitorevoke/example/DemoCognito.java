package io.github.cognitorevoke.example;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClientBuilder;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;

/**
 * What the application does on its own, without cognito-revoke: it signs users in at Cognito
 * ({@code InitiateAuth}) and verifies access tokens locally against the pool's JWKS, the way most
 * Cognito-backed APIs do. That local check is exactly why a logout needs the library: it keeps
 * accepting a revoked token until the token expires.
 *
 * <p>Configured from the same environment variables as the filter in {@code web.xml}.
 */
@ApplicationScoped
public class DemoCognito {

    private String clientId;
    private String clientSecret;
    private CognitoIdentityProviderClient cognito;
    private DefaultJWTProcessor<SecurityContext> accessTokens;

    @PostConstruct
    void init() {
        String region = env("COGNITO_REGION", "eu-west-1");
        String userPoolId = required("COGNITO_USER_POOL_ID");
        clientId = required("COGNITO_CLIENT_ID");
        clientSecret = env("COGNITO_CLIENT_SECRET", null);
        String endpoint = env("COGNITO_ENDPOINT", null);
        // The same defaults as the library's: Cognito's issuer, and its JWKS below it.
        String issuer = env("COGNITO_ISSUER", "https://cognito-idp." + region + ".amazonaws.com/" + userPoolId);
        String jwksUri = env("COGNITO_JWKS_URI", issuer + "/.well-known/jwks.json");

        CognitoIdentityProviderClientBuilder builder = CognitoIdentityProviderClient.builder()
                .region(Region.of(region))
                // InitiateAuth is an unsigned call: no AWS credentials are needed.
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        cognito = builder.build();

        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(jwksUri).toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("COGNITO_JWKS_URI is not a URL", e);
        }
        accessTokens = new DefaultJWTProcessor<>();
        accessTokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        accessTokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .claim("token_use", "access")
                        .claim("client_id", clientId)
                        .build(),
                Set.of("sub", "exp", "iat")));
    }

    @PreDestroy
    void close() {
        cognito.close();
    }

    /**
     * Verifies an access token: RS256 signature against the JWKS, {@code iss}, {@code token_use},
     * {@code client_id} and {@code exp}.
     *
     * @param accessToken the compact JWT
     * @return its claims
     * @throws ParseException   if it is not a JWT
     * @throws BadJOSEException if it fails verification
     * @throws JOSEException    if the keys cannot be fetched
     */
    public JWTClaimsSet verify(String accessToken) throws ParseException, BadJOSEException, JOSEException {
        return accessTokens.process(accessToken, null);
    }

    /**
     * Signs a user in with {@code USER_PASSWORD_AUTH}.
     *
     * @param username the user name
     * @param password the password
     * @return Cognito's answer (tokens, or a challenge)
     */
    public InitiateAuthResponse login(String username, String password) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("USERNAME", username);
        parameters.put("PASSWORD", password);
        if (clientSecret != null) {
            parameters.put("SECRET_HASH", secretHash(username));
        }
        return cognito.initiateAuth(r -> r.authFlow(AuthFlowType.USER_PASSWORD_AUTH).clientId(clientId)
                .authParameters(parameters));
    }

    /**
     * Gets new tokens with {@code REFRESH_TOKEN_AUTH}; fails once the refresh token is revoked.
     *
     * @param username     the {@code username} claim of the user's tokens (for the secret hash)
     * @param refreshToken the refresh token
     * @return the new tokens
     */
    public AuthenticationResultType refresh(String username, String refreshToken) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("REFRESH_TOKEN", refreshToken);
        if (clientSecret != null) {
            parameters.put("SECRET_HASH", secretHash(username));
        }
        return cognito.initiateAuth(r -> r.authFlow(AuthFlowType.REFRESH_TOKEN_AUTH).clientId(clientId)
                .authParameters(parameters)).authenticationResult();
    }

    /** @return the app client id */
    public String clientId() {
        return clientId;
    }

    private String secretHash(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] hash = mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String required(String name) {
        String value = env(name, null);
        if (value == null) {
            throw new IllegalStateException("set the environment variable " + name);
        }
        return value;
    }

    /** An unset or blank variable counts as unset, as in the library's {@code ${env:NAME:-}}. */
    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
