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

/** The README's settings table documents exactly the parameters of the parameter table. */
class ReadmeParametersTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(\\w+)` \\| (yes|no) \\|");

    @Test
    void readmeSettingsTable_listsEveryParameter_requiredAsParsed() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("### Settings (filter init-params)");
        assertThat(start).as("the README's settings section").isNotNegative();
        int end = readme.indexOf("\n#", start + 1);
        Map<String, Boolean> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(readme.substring(start, end));
        while (row.find()) {
            documented.put(row.group(1), "yes".equals(row.group(2)));
        }
        Map<String, Boolean> parsed = new LinkedHashMap<>();
        Parameters.all().forEach(p -> parsed.put(p.name(), p.required()));
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(parsed);
    }
}
