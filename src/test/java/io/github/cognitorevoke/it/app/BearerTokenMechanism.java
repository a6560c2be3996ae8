package io.github.cognitorevoke.it.app;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Set;

/**
 * The container's own bearer-token authentication, as an application writes it with Jakarta Security: it
 * verifies {@code Authorization: Bearer <jwt>} against the pool's key set with Nimbus (signature, issuer,
 * expiry, {@code token_use=access}) and tells the container the caller is the token's {@code sub} in the group
 * {@code user}. It knows nothing of revocation: that is {@code RevocationFilter}'s job, one step later.
 *
 * <p>As Jakarta Security's own BASIC mechanism does, it refuses (401, {@code WWW-Authenticate: Bearer
 * realm="container"}) only when the resource is constrained, and lets an unconstrained request through
 * anonymously when it carries no token or one that does not verify.
 *
 * <p>The issuer and key-set address are the filter's own init-params ({@code cognito-revoke} in
 * {@code web.xml}), so the mechanism trusts the same pool. Abstract: each test WAR holds exactly one concrete
 * subclass, since an application may have only one mechanism.
 */
public abstract class BearerTokenMechanism implements HttpAuthenticationMechanism {

    /** The container's challenge, unlike the filter's {@code Bearer error="invalid_token", ...}. */
    public static final String CHALLENGE = "Bearer realm=\"container\"";
    private static final String BEARER = "Bearer ";

    private volatile DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext> processor;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            try {
                String token = header.substring(BEARER.length()).trim();
                JWTClaimsSet claims = processor(request.getServletContext()).process(token, null);
                loggedIn(request, token);
                return context.notifyContainerAboutLogin(claims.getSubject(), Set.of("user"));
            } catch (ParseException | BadJOSEException | JOSEException notVerified) {
                // not a token of the pool: anonymous, refused below if the resource is constrained
            }
        }
        if (context.isProtected()) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
            return context.responseUnauthorized();
        }
        return context.doNothing();
    }

    /**
     * Called once the token verified, before the container is told of the caller.
     *
     * @param request the request
     * @param token the verified access token
     */
    protected void loggedIn(HttpServletRequest request, String token) {
    }

    private DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext> processor(ServletContext servletContext) {
        DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext> p = processor;
        if (p == null) {
            synchronized (this) {
                p = processor;
                if (p == null) {
                    p = build(servletContext.getFilterRegistration("cognito-revoke"));
                    processor = p;
                }
            }
        }
        return p;
    }

    private static DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext> build(FilterRegistration filter) {
        DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext> p = new DefaultJWTProcessor<>();
        try {
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    JWKSourceBuilder.create(URI.create(filter.getInitParameter("jwksUri")).toURL()).build()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("the filter's jwksUri is not a URL", e);
        }
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(filter.getInitParameter("issuer")).claim("token_use", "access")
                        .build(),
                Set.of("sub", "exp")));
        return p;
    }
}
