package io.github.cognitorevoke.it.oidc;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.security.enterprise.identitystore.openid.OpenIdContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The signed-in page ({@code /page}, constrained in {@code web.xml}): the caller's name, the session's
 * access and ID tokens (a test application shows them so that the test can try them as bearer tokens), and
 * the "Log out" and "Sign out everywhere" forms. Also the redirect URI of the sign-in ({@code /callback}), which the mechanism
 * answers before this servlet is reached.
 */
@WebServlet({"/page", "/callback"})
public class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The {@code web.xml} constraint that guards {@code /page}: any authenticated caller may see it. */
    public static final String CONSTRAINT = """
              <security-constraint>
                <web-resource-collection>
                  <web-resource-name>page</web-resource-name>
                  <url-pattern>/page</url-pattern>
                </web-resource-collection>
                <auth-constraint>
                  <role-name>**</role-name>
                </auth-constraint>
              </security-constraint>
            """;
    private static final String ELYTRON = "org.wildfly.security.http.oidc.OidcSecurityContext";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/html;charset=UTF-8");
        res.setHeader("Cache-Control", "no-store");
        PrintWriter out = res.getWriter();
        String[] tokens = tokens(req);
        out.print("<!DOCTYPE html><title>Page</title><h1 id=\"hello\">Hello "
                + escape(req.getUserPrincipal() == null ? "anonymous" : req.getUserPrincipal().getName()) + "</h1>"
                + "<pre id=\"access\">" + escape(tokens[0]) + "</pre><pre id=\"id\">" + escape(tokens[1]) + "</pre>"
                + "<form method=\"post\" action=\"logout\"><button id=\"logout\">Log out</button></form>"
                + "<form method=\"post\" action=\"signout-everywhere\">"
                + "<button id=\"signout-everywhere\">Sign out everywhere</button></form>");
    }

    private static String[] tokens(HttpServletRequest req) {
        Object elytron = req.getAttribute(ELYTRON);
        if (elytron != null) {
            return new String[] {call(elytron, "getTokenString"), call(elytron, "getIDTokenString")};
        }
        try {
            Instance<OpenIdContext> context = CDI.current().select(OpenIdContext.class);
            if (context.isResolvable() && context.get().getAccessToken() != null) {
                return new String[] {context.get().getAccessToken().getToken(),
                        context.get().getIdentityToken().getToken()};
            }
        } catch (RuntimeException e) {
            // no OpenIdContext here
        }
        return new String[] {"", ""};
    }

    private static String call(Object target, String getter) {
        try {
            return (String) target.getClass().getMethod(getter).invoke(target);
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
