package io.github.cognitorevoke.bench;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Mapped before everything else: copies the request's {@code X-Idx} header (the load script's
 * token number) to the response before the chain runs, so that every answer, also a 401 written
 * by {@code RevocationFilter}, tells the script which token it answers.
 */
public class EchoIndexFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String idx = req.getHeader("X-Idx");
        if (idx != null) {
            res.setHeader("X-Idx", idx);
        }
        chain.doFilter(req, res);
    }
}
