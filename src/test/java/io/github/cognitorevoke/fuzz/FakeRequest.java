package io.github.cognitorevoke.fuzz;

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
 * headers (names case-insensitive, each value kept), cookies, the query string and parameters.
 * A method it does not implement throws {@link UnsupportedOperationException} naming the method,
 * so that a resolver reading something new shows up as a gap in this fake, not as a silent null.
 */
final class FakeRequest {

    final List<String[]> headers = new ArrayList<>();
    final List<Cookie> cookies = new ArrayList<>();
    final Map<String, List<String>> parameters = new LinkedHashMap<>();
    String method = "GET";
    String queryString;
    String contentType;
    long contentLength = -1;

    HttpServletRequest proxy() {
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
