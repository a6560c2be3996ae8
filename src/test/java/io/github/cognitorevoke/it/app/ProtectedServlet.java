package io.github.cognitorevoke.it.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's protected resource: answers 200 to every GET. Whether a request gets here at all is
 * what {@code RevocationFilter} (mapped on {@code /*}) decides.
 */
@WebServlet("/protected")
public class ProtectedServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("text/plain;charset=UTF-8");
        res.getWriter().print("protected resource");
    }
}
