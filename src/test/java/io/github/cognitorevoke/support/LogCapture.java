package io.github.cognitorevoke.support;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the library logs through {@code System.Logger} while a test runs (the JDK routes it to
 * {@code java.util.logging} on the test class path), each line formatted as it would be written.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *     ...
 *     assertThat(log.messages(Level.WARNING)).singleElement()...;
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    private static final String LOGGER = "io.github.cognitorevoke";

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
    }

    /** @return a capture of the library's logger and its children, until {@link #close()} */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger(LOGGER).addHandler(capture.handler);
        return capture;
    }

    /**
     * @param level the level
     * @return the lines logged at exactly that level, formatted, in order
     */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogCapture::text).toList();
    }

    /**
     * @param level the lowest level
     * @return the lines logged at that level or above, formatted, in order
     */
    public List<String> atLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).map(LogCapture::text)
                .toList();
    }

    /** @return every line logged, at any level, formatted */
    public List<String> all() {
        return records.stream().map(LogCapture::text).toList();
    }

    private static String text(LogRecord r) {
        return r.getParameters() == null ? r.getMessage() : MessageFormat.format(r.getMessage(), r.getParameters());
    }

    /** Stops capturing. */
    @Override
    public void close() {
        Logger.getLogger(LOGGER).removeHandler(handler);
    }
}
