package io.github.cognitorevoke.it.app;

import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.TokenRevocationService;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Application code that uses the injected {@link TokenRevocationService}, so a test can drive the CDI bean
 * over HTTP. Tokens travel in the form body (never in the URL), and the answer is {@code key=value} lines.
 *
 * <ul>
 *   <li>{@code POST /probe/logout} with {@code access_token} and/or {@code refresh_token}: calls
 *       {@code logout}; answers {@code status}, {@code accessTokenDenylisted}, {@code refusal}, or 401
 *       {@code error=invalid_token} if the bean rejects the access token.</li>
 *   <li>{@code POST /probe/revoked} with {@code token}: answers {@code revoked=<isRevoked(token)>}.</li>
 *   <li>{@code GET /probe/pending}: answers {@code pending=<pendingRevocations()>}.</li>
 * </ul>
 */
@WebServlet("/probe/*")
public class RevocationProbe extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    private TokenRevocationService revocations;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = res.getWriter();
        switch (String.valueOf(req.getPathInfo())) {
            case "/logout" -> {
                try {
                    LogoutResult r = revocations.logout(req.getParameter("access_token"),
                            req.getParameter("refresh_token"));
                    out.println("status=" + r.status());
                    out.println("accessTokenDenylisted=" + r.accessTokenDenylisted());
                    out.println("refusal=" + r.refusal().map(LogoutResult.Refusal::cognitoError).orElse(""));
                } catch (InvalidTokenException e) {
                    res.setStatus(401);
                    out.println("error=invalid_token");
                }
            }
            case "/revoked" -> out.println("revoked=" + revocations.isRevoked(req.getParameter("token")));
            default -> res.sendError(404);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (!"/pending".equals(req.getPathInfo())) {
            res.sendError(404);
            return;
        }
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().println("pending=" + revocations.pendingRevocations());
    }
}
