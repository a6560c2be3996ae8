package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a parameter's text becomes a value: the readers behind {@link Parameters}' kinds. Each
 * message names the parameter and says what was expected.
 */
final class ParameterText {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern COUNT = Pattern.compile("\\d{1,9}");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,12})([km])?");

    private ParameterText() {
    }

    /**
     * Parses a whole number such as {@code 10000}.
     *
     * @param parameter the parameter, for the message
     * @param value     the text
     * @return the number
     */
    static int count(String parameter, String value) {
        String text = value.strip();
        if (!COUNT.matcher(text).matches()) {
            throw new RevocationConfigurationException(parameter, "'" + value + "' is not a whole number such as 10000");
        }
        return Integer.parseInt(text);
    }

    /**
     * Parses a boolean: only {@code true} or {@code false} (surrounding blanks ignored), so
     * that a typo fails the deployment instead of silently meaning false.
     *
     * @param parameter the parameter, for the message
     * @param value     the text
     * @return the boolean
     */
    static boolean bool(String parameter, String value) {
        String text = value.strip();
        if ("true".equals(text)) {
            return true;
        }
        if ("false".equals(text)) {
            return false;
        }
        throw new RevocationConfigurationException(parameter, "'" + value + "' is neither true nor false");
    }

    /**
     * Parses a size in bytes: a plain count ({@code 8388608}) or with the suffix {@code k} (KiB)
     * or {@code m} (MiB), e.g. {@code 512k}, {@code 8m}; upper or lower case.
     *
     * @param parameter the parameter, for the message
     * @param value     the text
     * @return the size in bytes
     */
    static long bytes(String parameter, String value) {
        Matcher m = BYTES.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new RevocationConfigurationException(parameter,
                    "'" + value + "' is not a size such as 8388608, 512k or 8m");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2) == null ? n : "k".equals(m.group(2)) ? n * 1024 : n * 1024 * 1024;
    }

    /**
     * Parses a duration written in ISO-8601 ({@code PT10M}) or short form ({@code 10m}, {@code 30s},
     * {@code 500ms}, {@code 2h}, {@code 1d}).
     *
     * @param parameter the parameter, for the message
     * @param value     the text
     * @return the duration
     */
    static Duration duration(String parameter, String value) {
        String text = value.strip();
        Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new RevocationConfigurationException(parameter,
                    "'" + value + "' is not a duration such as PT30S or 30s");
        }
    }

    /**
     * Parses comma-separated paths; the builder checks each.
     *
     * @param parameter the parameter, for the message
     * @param value     the text
     * @return the paths, in the order written
     */
    static Set<String> paths(String parameter, String value) {
        Set<String> paths = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::strip).forEach(path -> {
            if (path.isEmpty()) {
                throw new RevocationConfigurationException(parameter, "'" + value + "' has an empty entry");
            }
            paths.add(path);
        });
        return paths;
    }
}
