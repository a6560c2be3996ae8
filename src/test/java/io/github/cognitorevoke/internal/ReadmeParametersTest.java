package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The documented parameters match the parameter table: the full settings table in
 * {@code docs/configuration.md} lists exactly the parameters the code parses, and the README's short
 * table names only real ones.
 */
class ReadmeParametersTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(\\w+)` \\| (yes|no) \\|");

    @Test
    void configurationSettingsTable_listsEveryParameter_requiredAsParsed() throws IOException {
        Map<String, Boolean> documented = rows(Path.of("docs/configuration.md"), "## Settings (filter init-params)");
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(parsed());
    }

    @Test
    void readmeCoreSettingsTable_namesOnlyParameters_requiredAsParsed() throws IOException {
        Map<String, Boolean> documented = rows(Path.of("README.md"), "## Core settings");
        assertThat(documented).as("the README's core settings").isNotEmpty();
        assertThat(parsed()).containsAllEntriesOf(documented);
    }

    /** Name and required column of each table row in the section that starts with {@code heading}. */
    private static Map<String, Boolean> rows(Path file, String heading) throws IOException {
        String text = Files.readString(file);
        int start = text.indexOf("\n" + heading + "\n");
        assertThat(start).as("section '%s' in %s", heading, file).isNotNegative();
        int end = text.indexOf("\n#", start + 1);
        Matcher row = ROW.matcher(text.substring(start, end < 0 ? text.length() : end));
        Map<String, Boolean> documented = new LinkedHashMap<>();
        while (row.find()) {
            documented.put(row.group(1), "yes".equals(row.group(2)));
        }
        return documented;
    }

    private static Map<String, Boolean> parsed() {
        Map<String, Boolean> parsed = new LinkedHashMap<>();
        Parameters.all().forEach(p -> parsed.put(p.name(), p.required()));
        return parsed;
    }
}
