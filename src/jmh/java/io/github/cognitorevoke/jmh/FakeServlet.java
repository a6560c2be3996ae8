package io.github.cognitorevoke.jmh;

import io.github.cognitorevoke.RevocationFilter;
import io.github.cognitorevoke.internal.Installations;
import io.github.cognitorevoke.internal.DefaultTokenResolver;
import io.github.cognitorevoke.internal.Installation;
import io.github.cognitorevoke.internal.RevocationEngine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Just enough of a servlet container to drive {@code RevocationFilter.doFilter}: every method the
 * filter is not expected to call throws, so a benchmark cannot silently measure a different path.
 */
final class FakeServlet {

    private FakeServlet() {
    }

    /** A proxy of {@code type} that throws for every call. */
    static <T> T unsupported(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
        }));
    }

    /** A servlet context that answers {@code getAttribute} from a map and nothing else. */
    static ServletContext context(Map<String, Object> attributes) {
        return (ServletContext) Proxy.newProxyInstance(ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAttribute")) {
                        return attributes.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException("ServletContext." + method.getName());
                });
    }

    /** A filter config over a context, with no init-params. */
    static FilterConfig config(ServletContext context) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return "revocation";
            }

            @Override
            public ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return null;
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.emptyEnumeration();
            }
        };
    }

    /** The filter over an installation, initialised as a container would (no init-params). */
    static RevocationFilter filter(RevocationEngine engine) throws ServletException {
        RevocationFilter filter = new RevocationFilter();
        filter.init(config(context(Map.of(Installations.ATTRIBUTE,
                new Installation(engine, new DefaultTokenResolver(engine.settings()))))));
        return filter;
    }

    /** A GET to a protected resource with at most one header of each kind and a query string. */
    static final class Request extends HttpServletRequestWrapper {
        private final String servletPath;
        /** The Authorization header to send, or null for none; set before each request. */
        String authorization;
        /** The Cookie header, or null for none. */
        String cookie;
        /** The raw query string, or null for none. */
        String query;

        Request(String servletPath) {
            super(unsupported(HttpServletRequest.class));
            this.servletPath = servletPath;
        }

        /**
         * The container's caller, or null (a bearer request the container did not authenticate, as every
         * case but the session ones).
         */
        java.security.Principal principal;
        /** What elytron-oidc-client puts in the request for a signed-in session, or null. */
        Object oidcContext;

        @Override
        public String getServletPath() {
            return servletPath;
        }

        @Override
        public java.security.Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public Object getAttribute(String name) {
            return "org.wildfly.security.http.oidc.OidcSecurityContext".equals(name) ? oidcContext : null;
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getQueryString() {
            return query;
        }

        /** No session: a client with a bearer token and no cookie (the 401 path asks for one). */
        @Override
        public jakarta.servlet.http.HttpSession getSession(boolean create) {
            if (create) {
                throw new UnsupportedOperationException("HttpServletRequest.getSession(true)");
            }
            return null;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            // A container hands out a fresh enumeration per call; so do we (one small object).
            String value = "Authorization".equalsIgnoreCase(name) ? authorization
                    : "Cookie".equalsIgnoreCase(name) ? cookie : null;
            return value != null ? new One(value) : Collections.emptyEnumeration();
        }
    }

    /** Shaped like elytron-oidc-client's context: the filter reads it by its public getters. */
    public static final class OidcContext {
        private final String access;
        private final String id;

        OidcContext(String access, String id) {
            this.access = access;
            this.id = id;
        }

        /** @return the access token */
        public String getTokenString() {
            return access;
        }

        /** @return the ID token */
        public String getIDTokenString() {
            return id;
        }

        /** @return no refresh token (the check never reads it) */
        public String getRefreshToken() {
            return null;
        }
    }

    private static final class One implements Enumeration<String> {
        private String value;

        One(String value) {
            this.value = value;
        }

        @Override
        public boolean hasMoreElements() {
            return value != null;
        }

        @Override
        public String nextElement() {
            if (value == null) {
                throw new NoSuchElementException();
            }
            String v = value;
            value = null;
            return v;
        }
    }

    /** Records the status and counts the body bytes of the 401 the filter writes. */
    static final class Response extends HttpServletResponseWrapper {
        int status = SC_OK;
        long bodyBytes;
        private final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(int b) {
                bodyBytes++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bodyBytes += len;
            }
        };

        Response() {
            super(unsupported(HttpServletResponse.class));
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public void setHeader(String name, String value) {
            // Dropped: the filter's work is building the value, not storing it.
        }

        @Override
        public void setContentType(String type) {
        }

        @Override
        public void setCharacterEncoding(String charset) {
        }

        @Override
        public void setContentLength(int len) {
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return out;
        }
    }

    /** The rest of the application: counts the requests that got through. */
    static final class Chain implements FilterChain {
        long passed;

        @Override
        public void doFilter(ServletRequest request, ServletResponse response) {
            passed++;
        }
    }
}
