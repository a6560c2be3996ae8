package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cognito's managed login (Hosted UI) as the settings and the logout see it: which URLs a browser
 * may be sent to, and the one {@code /logout} location built from the configured values alone.
 */
public final class ManagedLogin {

    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final String DOMAIN_EXAMPLE = "https://myapp.auth.eu-west-1.amazoncognito.com";

    private ManagedLogin() {
    }

    /**
     * Checks a managed-login domain: a {@linkplain #browserUrl browser URL} with nothing after the
     * host and port but an optional {@code /}.
     *
     * @param parameter the parameter, for the message
     * @param value     the text, stripped
     * @return {@code scheme://host[:port]}, scheme in lower case, no trailing slash
     * @throws RevocationConfigurationException naming the parameter
     */
    public static URI domain(String parameter, String value) {
        URI uri = browserUrl(parameter, value, DOMAIN_EXAMPLE);
        String path = uri.getRawPath();
        if (uri.getRawQuery() != null || !(path == null || path.isEmpty() || "/".equals(path))) {
            throw new RevocationConfigurationException(parameter, "'" + value + "' must be the domain alone, such as "
                    + DOMAIN_EXAMPLE + " (no path or query: the library adds /logout and its parameters)");
        }
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority());
    }

    /**
     * Checks an absolute URL that a browser is sent to: {@code https://}, or {@code http://} on a
     * loopback host (Cognito takes plain HTTP only for {@code localhost}; an emulator has no TLS); no
     * user info or fragment; visible ASCII only, since it ends up in a {@code Location} header.
     *
     * @param parameter the parameter, for the message
     * @param value     the text, stripped
     * @param example   a good value, for the message
     * @return the URL
     * @throws RevocationConfigurationException naming the parameter
     */
    public static URI browserUrl(String parameter, String value, String example) {
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // Control characters are never echoed: a CR or LF in a log line forges another line.
            throw new RevocationConfigurationException(parameter, "'" + value.replaceAll("[^\\x21-\\x7e]", "?")
                    + "' must be visible ASCII, such as " + example
                    + " (percent-encode other characters, write an international domain in punycode)");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new RevocationConfigurationException(parameter, "'" + value + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null
                || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new RevocationConfigurationException(parameter, "'" + value
                    + "' is not an absolute https:// URL such as " + example);
        }
        if ("http".equalsIgnoreCase(scheme) && !isLoopback(uri.getHost())) {
            throw new RevocationConfigurationException(parameter, "'" + value + "' must use https://;"
                    + " http:// is accepted only for a loopback host (127.0.0.1, [::1], localhost)");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new RevocationConfigurationException(parameter,
                    "'" + value + "' must not carry user info or a fragment");
        }
        return uri;
    }

    /**
     * Cognito's {@code /logout} for this app client: {@code client_id} and {@code logout_uri}, both
     * percent-encoded. Built from settings only, once: nothing a request carries can change it.
     *
     * @param domain    the checked managed-login domain, no trailing slash
     * @param clientId  the app client id
     * @param logoutUri the checked URL Cognito sends the browser to afterwards
     * @return the absolute location
     */
    public static String logoutLocation(URI domain, String clientId, URI logoutUri) {
        return domain + "/logout?client_id=" + percentEncode(clientId)
                + "&logout_uri=" + percentEncode(logoutUri.toString());
    }

    /** RFC 3986 percent-encoding of UTF-8: everything but the unreserved characters is escaped. */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder(s.length() * 2);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** 127.0.0.0/8, {@code ::1} or {@code localhost}, as written: no name is looked up. */
    static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        if (host.startsWith("[")) {
            try {
                // Bracketed, so the JDK parses it as an IPv6 literal and never asks DNS.
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        Matcher m = LOOPBACK_V4.matcher(host);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 3; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }
}
