package io.github.cognitorevoke.it.app;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.TokenRevocationService;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Shows what {@link EventRecorder} received, and signs a user out everywhere through the injected
 * {@link TokenRevocationService} (the filter has no path for that).
 *
 * <ul>
 *   <li>{@code GET /events}: one line per delivery.</li>
 *   <li>{@code POST /events/sign-out-everywhere} with {@code access_token} in the form:
 *       answers {@code status=<status>}.</li>
 * </ul>
 */
@WebServlet("/events/*")
public class EventsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    private EventRecorder recorder;

    @Inject
    private TokenRevocationService revocations;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().print(String.join("\n", recorder.lines()));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (!"/sign-out-everywhere".equals(req.getPathInfo())) {
            res.sendError(404);
            return;
        }
        LogoutResult r = revocations.signOutEverywhere(req.getParameter("access_token"));
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().println("status=" + r.status());
    }
}
