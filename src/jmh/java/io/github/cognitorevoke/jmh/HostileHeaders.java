package io.github.cognitorevoke.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The texts of BENCHMARKS.md's "Hostile headers": one unauthenticated request whose Authorization
 * header, Cookie header or query string is made of many short dotted segments, each of which the
 * filter's search may try to read as a JWS payload. {@link HostileHeaderBenchmark} runs them through
 * the filter in one JVM; {@link #main} sends them to a real server (bench/hostile.sh) over one
 * keep-alive connection. Both use these generators, so both measure the same bytes.
 *
 * <p>Shapes (every text of a place has the same length; {@code _pct} puts one {@code %41} in the
 * middle, which makes the filter search the text a second time, percent-decoded):
 * <ul>
 * <li>{@code plain}: base64url letters, no dot: the reference every other shape is divided by;</li>
 * <li>{@code dotted}: {@code x.} then {@code AAAAAAAAAA.} repeated: every segment decodes to zeros;</li>
 * <li>{@code json}: {@code eyJhIjpbW1tbW1s.} repeated: each decodes to {@code {"a":[[[[[[};</li>
 * <li>{@code jsonclose}: segments decoding to {@code {a:N}} and {@code {"a":N//}}, N different in every
 * segment (nothing can be remembered from one to the next): JSON objects with both braces that a
 * strict scanner cannot read (Nimbus rejects them too);</li>
 * <li>{@code oddchars}: {@code x.} then {@code eyAAAAAAAA~.} repeated: each opens like an object and
 * holds a character outside the alphabet, so it is decoded the lenient way, as Nimbus decodes;</li>
 * <li>{@code escaped}: {@code x.} then {@code eyAAAAAAA%7E.} repeated: a percent escape in every
 * segment, so the decoded text differs everywhere and is searched in full a second time.</li>
 * </ul>
 */
final class HostileHeaders {

    /** The configured {@code accessTokenCookie}. */
    static final String COOKIE = "session";
    static final List<String> SHAPES = List.of("plain", "plain_pct", "dotted", "dotted_pct", "json", "json_pct",
            "jsonclose", "jsonclose_pct", "shortjson", "oddchars", "escaped");
    static final List<String> PLACES = List.of("authorization", "cookie", "query");

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private HostileHeaders() {
    }

    /** What precedes the token in that place: the scheme, the cookie's name, the query parameter. */
    static String prefix(String place) {
        return switch (place) {
            case "authorization" -> "Bearer ";
            case "cookie" -> COOKIE + "=";
            case "query" -> "access_token=";
            default -> throw new IllegalArgumentException(place);
        };
    }

    /** The header value (or query string) of a shape in a place, exactly {@code size} characters long. */
    static String text(String shape, String place, int size) {
        boolean escape = shape.endsWith("_pct");
        String base = escape ? shape.substring(0, shape.length() - "_pct".length()) : shape;
        StringBuilder b = new StringBuilder(size + 64).append(prefix(place));
        switch (base) {
            case "plain" -> {
                Random random = new Random(1);
                while (b.length() < size) {
                    b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            case "dotted" -> {
                b.append("x.");
                while (b.length() < size) {
                    b.append("AAAAAAAAAA.");
                }
            }
            case "json" -> {
                while (b.length() < size) {
                    b.append("eyJhIjpbW1tbW1s.");
                }
            }
            case "jsonclose" -> {
                Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
                b.append("x.");
                for (int n = 1_000_000; b.length() < size; n++) {
                    String json = n % 2 == 0 ? "{a:" + n + "}" : "{\"a\":" + n + "//}";
                    b.append(encoder.encodeToString(json.getBytes(StandardCharsets.US_ASCII))).append('.');
                }
            }
            case "shortjson" -> {
                // 12-character segments, the shortest that can hold an id ({"sub":1}): each opens and
                // closes an object, so each is decoded and scanned; half are valid JSON, half not.
                Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
                b.append("x.");
                for (int n = 100; b.length() < size; n++) {
                    String json = n % 2 == 0 ? "{\"a\":" + n + "}" : "{a:" + (n * 100) + "}";
                    b.append(encoder.encodeToString(json.getBytes(StandardCharsets.US_ASCII))).append('.');
                }
            }
            case "oddchars" -> {
                b.append("x.");
                while (b.length() < size) {
                    b.append("eyAAAAAAAA~.");
                }
            }
            case "escaped" -> {
                b.append("x.");
                while (b.length() < size) {
                    b.append("eyAAAAAAA%7E.");
                }
            }
            default -> throw new IllegalArgumentException(shape);
        }
        b.setLength(size);
        if (escape) {
            // In the middle, clear of dots, so that the segments around it keep their shape.
            int at = prefix(place).length() + (size - prefix(place).length()) / 2;
            while (b.charAt(at) == '.' || b.charAt(at + 1) == '.' || b.charAt(at + 2) == '.') {
                at++;
            }
            b.replace(at, at + 3, "%41");
        }
        return b.toString();
    }

    /** The raw HTTP/1.1 GET of that text in its place. */
    static byte[] request(String host, String path, String place, String text) {
        StringBuilder r = new StringBuilder(text.length() + 256).append("GET ").append(path);
        if (place.equals("query")) {
            r.append('?').append(text);
        }
        r.append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        if (place.equals("authorization")) {
            r.append("Authorization: ").append(text).append("\r\n");
        } else if (place.equals("cookie")) {
            r.append("Cookie: ").append(text).append("\r\n");
        }
        return r.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The real-server client: {@code HOST PORT PATH SIZE N WARMUP OUT}. For each place, the largest
     * size of SIZE, SIZE/2, ... (at least 1 KiB) that the server answers 200 with the plain shape; then
     * for each shape WARMUP untimed requests and N timed ones, one at a time on one keep-alive
     * connection. Writes one line per place and shape to OUT: place, shape, size, median and p90 in ms.
     * Exits 2 if any answer is not a 200 (the filter lets every such text through: none is revoked).
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int size = Integer.parseInt(args[3]);
        int n = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        Path out = Path.of(args[6]);
        Files.deleteIfExists(out);
        try (Client c = new Client(host, port); PrintStream results = new PrintStream(Files.newOutputStream(out), true)) {
            for (String place : PLACES) {
                int accepted = size;
                int status;
                while ((status = c.probe(request(host, path, place, text("plain", place, accepted)))) != 200
                        && accepted > 1024) {
                    System.out.printf("%s: %d characters answered %d; trying half%n", place, accepted, status);
                    accepted /= 2;
                }
                if (status != 200) {
                    throw new IllegalStateException(place + ": even " + accepted + " characters answered " + status);
                }
                for (String shape : SHAPES) {
                    byte[] request = request(host, path, place, text(shape, place, accepted));
                    double[] ms = new double[n];
                    for (int i = -warmup; i < n; i++) {
                        Answer a = c.send(request);
                        if (a.status != 200) {
                            System.out.printf("%s %s: answered %d%n", place, shape, a.status);
                            System.exit(2);
                        }
                        if (i >= 0) {
                            ms[i] = a.nanos / 1e6;
                        }
                    }
                    String line = String.format("%s %s %d %s", place, shape, accepted, medianAndP90(ms));
                    results.println(line);
                    System.out.println(line);
                }
            }
        }
    }

    /** The median and the 90th percentile of those times, in ms, as {@code "median p90"} (sorts them). */
    static String medianAndP90(double[] ms) {
        int n = ms.length;
        Arrays.sort(ms);
        double median = n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
        double p90 = ms[Math.min(n - 1, (int) Math.ceil(0.9 * n) - 1)];
        return String.format("%.3f %.3f", median, p90);
    }

    /** An answer: its status, its head (status line and headers) and the wall time until its last byte. */
    record Answer(int status, String head, long nanos) {

        /** @return the first value of that header, or null */
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
            return null;
        }
    }

    /**
     * One keep-alive connection, reopened if the server closes it. The answer is read through its own
     * buffer, a block at a time: a head of a megabyte (a {@code Location} that repeats the query) costs
     * the client about as little as a body of that size.
     */
    static final class Client implements AutoCloseable {
        private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;

        Client(String host, int port) {
            this.host = host;
            this.port = port;
        }

        /** The status, or -1 if the server closed the connection instead of answering (a request too large). */
        int probe(byte[] request) throws IOException {
            try {
                return send(request).status;
            } catch (IOException e) {
                close();
                return -1;
            }
        }

        Answer send(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 10_000);
                socket.setSoTimeout(120_000);
                socket.setTcpNoDelay(true);
                in = socket.getInputStream();
                out = socket.getOutputStream();
                position = 0;
                limit = 0;
            }
            long start = System.nanoTime();
            out.write(request);
            out.flush();
            String head = head();
            int status = Integer.parseInt(head.substring(9, 12));
            long length = 0;
            boolean close = false;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            int buffered = (int) Math.min(length, limit - position);
            position += buffered;
            in.skipNBytes(length - buffered);
            long nanos = System.nanoTime() - start;
            if (close) {
                close();
            }
            return new Answer(status, head, nanos);
        }

        private String head() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < END_OF_HEAD.length) {
                if (position == limit) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        throw new IOException("the server closed the connection");
                    }
                    position = 0;
                    limit = read;
                }
                int from = position;
                while (position < limit && matched < END_OF_HEAD.length) {
                    byte c = buffer[position++];
                    matched = c == END_OF_HEAD[matched] ? matched + 1 : c == '\r' ? 1 : 0;
                }
                head.write(buffer, from, position - from);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }
}
