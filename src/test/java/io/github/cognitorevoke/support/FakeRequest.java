package io.github.cognitorevoke.support;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written {@link HttpServletRequest} holding what a container would parse from the wire:
 * headers (names case-insensitive, each value kept, in order), cookies, the query string and
 * parameters, a method and a body's type and length. It is a request for {@code https://…/api}.
 * A method it does not implement throws {@link UnsupportedOperationException} naming the method,
 * so that code reading something new shows up as a gap in this fake, not as a silent null.
 *
 * <pre>{@code
 * HttpServletRequest r = new FakeRequest().header("Authorization", "Bearer " + token).query("a=1").request();
 * HttpServletRequest s = FakeRequest.get("a=1", "Authorization", "Bearer " + token, "Cookie", "AT=...");
 * }</pre>
 */
public final class FakeRequest {

    private final List<String[]> headers = new ArrayList<>();
    private final List<Cookie> cookies = new ArrayList<>();
    private final Map<String, List<String>> parameters = new LinkedHashMap<>();
    private String method = "GET";
    private String queryString;
    private String contentType;
    private long contentLength = -1;

    /**
     * A GET holding only a query string and headers.
     *
     * @param query the raw query string, or null for none
     * @param nameValue header names and values, alternating
     * @return the request
     */
    public static HttpServletRequest get(String query, String... nameValue) {
        FakeRequest r = new FakeRequest().query(query);
        for (int i = 0; i < nameValue.length; i += 2) {
            r.header(nameValue[i], nameValue[i + 1]);
        }
        return r.request();
    }

    /**
     * @param method the method; default GET
     * @return this
     */
    public FakeRequest method(String method) {
        this.method = method;
        return this;
    }

    /**
     * Adds a header value; a name may be added several times.
     *
     * @param name the name
     * @param value the value
     * @return this
     */
    public FakeRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    /**
     * Adds a cookie, as the container parsed it from the {@code Cookie} headers.
     *
     * @param cookie the cookie
     * @return this
     */
    public FakeRequest cookie(Cookie cookie) {
        cookies.add(cookie);
        return this;
    }

    /**
     * @param query the raw query string, or null for none (the default)
     * @return this
     */
    public FakeRequest query(String query) {
        this.queryString = query;
        return this;
    }

    /**
     * Adds a parameter value, as the container parsed it from the query string or the form body;
     * a name may be added several times.
     *
     * @param name the name
     * @param value the value
     * @return this
     */
    public FakeRequest parameter(String name, String value) {
        parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    /**
     * @param contentType the body's content type, or null for none (the default)
     * @return this
     */
    public FakeRequest contentType(String contentType) {
        this.contentType = contentType;
        return this;
    }

    /**
     * @param contentLength the body's length, or -1 when unknown (the default)
     * @return this
     */
    public FakeRequest contentLength(long contentLength) {
        this.contentLength = contentLength;
        return this;
    }

    /** @return a request over what was set so far (and whatever is set later) */
    public HttpServletRequest request() {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, m, args) -> switch (m.getName()) {
                    case "getHeaders" -> Collections.enumeration(values((String) args[0]));
                    case "getHeader" -> values((String) args[0]).stream().findFirst().orElse(null);
                    case "getHeaderNames" -> Collections.enumeration(headers.stream()
                            .map(h -> h[0]).distinct().toList());
                    case "getCookies" -> cookies.isEmpty() ? null : cookies.toArray(Cookie[]::new);
                    case "getQueryString" -> queryString;
                    case "getParameterValues" -> {
                        List<String> v = parameters.get((String) args[0]);
                        yield v == null ? null : v.toArray(String[]::new);
                    }
                    case "getParameter" -> {
                        List<String> v = parameters.get((String) args[0]);
                        yield v == null ? null : v.get(0);
                    }
                    case "getParameterNames" -> Collections.enumeration(parameters.keySet());
                    case "getParameterMap" -> {
                        Map<String, String[]> map = new LinkedHashMap<>();
                        parameters.forEach((k, v) -> map.put(k, v.toArray(String[]::new)));
                        yield Collections.unmodifiableMap(map);
                    }
                    case "getMethod" -> method;
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> contentLength;
                    case "getContentLength" -> (int) Math.max(-1, Math.min(Integer.MAX_VALUE, contentLength));
                    case "getCharacterEncoding" -> "UTF-8";
                    case "getRequestURI", "getServletPath" -> "/api";
                    case "getContextPath" -> "";
                    case "getPathInfo", "getAttribute" -> null;
                    case "isSecure" -> Boolean.TRUE;
                    case "getScheme" -> "https";
                    case "toString" -> "FakeRequest";
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new UnsupportedOperationException("FakeRequest does not implement " + m.getName());
                });
    }

    private List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                values.add(h[1]);
            }
        }
        return values;
    }
}
