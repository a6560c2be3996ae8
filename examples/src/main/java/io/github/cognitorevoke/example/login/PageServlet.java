package io.github.cognitorevoke.example.login;

import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.openid.OpenIdContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/**
 * The signed-in page of the managed-login demo ({@code /page}, constrained in {@code web.xml}): who is
 * signed in, until when the session's access token runs, and the "Log out" and "Sign out everywhere"
 * buttons, plain form POSTs that cognito-revoke answers (it ends the session, revokes the tokens and sends
 * the browser through Cognito's {@code /logout}). Also the sign-in's redirect URI ({@code /callback}),
 * which the mechanism answers before this servlet is reached.
 */
@WebServlet({"/page", "/callback"})
public class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    private OpenIdContext context;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/html;charset=UTF-8");
        res.setHeader("Cache-Control", "no-store");
        String user = req.getUserPrincipal() == null ? "" : req.getUserPrincipal().getName();
        String until = "";
        try {
            until = context.getAccessToken().getJwtClaims().getExpirationTime().map(Instant::toString).orElse("");
        } catch (RuntimeException e) {
            // no OpenID Connect sign-in in this session
        }
        res.getWriter().print("""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signed in</title>
                <link rel="stylesheet" href="login.css"></head><body><main>
                <h1 id="hello">Hello %s</h1>
                <p>Signed in through Cognito's managed login by the server's own OpenID Connect client
                (Jakarta Security). The tokens live in this server's session; the page never sees them.</p>
                <p>Access token valid until <span id="until">%s</span>.</p>
                <form method="post" action="logout"><button id="logout">Log out</button></form>
                <form method="post" action="signout-everywhere"><button id="signout-everywhere" class="secondary">
                Sign out everywhere</button></form>
                <p class="note">Log out ends this session, revokes its refresh token, refuses its access and ID
                tokens from now on, and passes Cognito's <code>/logout</code>, so that Log in asks for the
                password again.</p>
                </main></body></html>
                """.formatted(escape(user), escape(until)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
