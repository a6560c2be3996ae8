package io.github.cognitorevoke.attack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Sends a request byte for byte as written (repeated headers, odd whitespace, oversized values),
 * which {@code java.net.http} would refuse or normalise, and reads the status and body.
 */
public final class RawHttp {

    /** A status and a body. */
    public record Response(int status, String head, String body) {
    }

    private RawHttp() {
    }

    /**
     * Sends one request over a fresh connection.
     *
     * @param base    e.g. {@code http://127.0.0.1:8080/app}
     * @param method  the method
     * @param path    the path and query below {@code base}
     * @param headers header lines in order, name then value, repeated names allowed; a {@code Host}
     *                among them replaces the one naming {@code base}
     * @param body    the body, or null
     * @return the response
     * @throws IOException if the connection fails
     */
    public static Response send(String base, String method, String path, List<Map.Entry<String, String>> headers,
                                String body) throws IOException {
        URI uri = URI.create(base);
        StringBuilder request = new StringBuilder()
                .append(method).append(' ').append(uri.getRawPath()).append(path).append(" HTTP/1.1\r\n");
        if (headers.stream().noneMatch(h -> "Host".equalsIgnoreCase(h.getKey()))) {
            request.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        }
        request.append("Connection: close\r\n");
        for (Map.Entry<String, String> h : headers) {
            request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String[] statusLine = head.split(" ", 3);
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
            return new Response(status, head, end < 0 ? "" : text.substring(end + 4));
        }
    }
}
