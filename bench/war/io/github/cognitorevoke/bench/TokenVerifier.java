package io.github.cognitorevoke.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Set;

/**
 * How an application without cognito-revoke checks a Cognito access token: RS256 signature against
 * the pool's JWKS (fetched once, cached by Nimbus), {@code iss}, {@code token_use}, {@code exp}. No
 * call to Cognito. The issuer and JWKS address come from the context params.
 */
@ApplicationScoped
public class TokenVerifier {

    @Inject
    ServletContext context;

    private DefaultJWTProcessor<SecurityContext> processor;

    @PostConstruct
    void init() {
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder
                    .create(new URL(context.getInitParameter("jwksUri"))).build();
            DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
            p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    new JWTClaimsSet.Builder().issuer(context.getInitParameter("issuer"))
                            .claim("token_use", "access").build(),
                    Set.of("sub", "exp", "iat", "jti")));
            processor = p;
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies a token.
     *
     * @param token the compact JWT
     * @return its claims
     * @throws Exception if it is not valid
     */
    public JWTClaimsSet verify(String token) throws Exception {
        return processor.process(token, null);
    }
}
