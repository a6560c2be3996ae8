package io.github.cognitorevoke.it.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A resource under a {@code security-constraint} (role {@code user}, in the test's {@code web.xml}): answers
 * {@code constrained resource for <caller>} to every GET that the container and the filter let through.
 */
@WebServlet("/constrained")
public class ConstrainedServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The start of every answer. */
    public static final String BODY = "constrained resource for ";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().print(BODY + req.getRemoteUser());
    }
}
