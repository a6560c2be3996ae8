package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationConfigurationException;
import io.github.cognitorevoke.RevocationSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns filter init-params into {@link RevocationSettings}, once, at deployment. */
public final class InitParameters {

    // ${env:NAME}, ${sys:name}, each with an optional shell-style default: ${env:NAME:-default}.
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(env|sys):([^}:]*)(?::-([^}]*))?}");
    // ENV_VAR_NAME or dotted.system.property: how variables are named, unlike a secret's value.
    private static final Pattern CONVENTIONAL_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*|[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)+");

    private InitParameters() {
    }

    /**
     * Parses init-params.
     *
     * @param params the init-params by name
     * @param env    looks up environment variables (null when unset)
     * @param sys    looks up system properties (null when unset)
     * @return the settings
     * @throws RevocationConfigurationException naming the parameter at fault
     */
    public static RevocationSettings parse(Map<String, String> params, UnaryOperator<String> env,
                                           UnaryOperator<String> sys) {
        Set<String> unknown = new TreeSet<>(params.keySet());
        unknown.removeAll(RevocationSettings.PARAMETERS);
        if (!unknown.isEmpty()) {
            String name = unknown.iterator().next();
            List<String> close = closest(name, RevocationSettings.PARAMETERS);
            throw new RevocationConfigurationException(name, "is not a cognito-revoke parameter; "
                    + (close.isEmpty() ? "" : "did you mean " + String.join(" or ", close) + "? ")
                    + "known parameters are " + RevocationSettings.PARAMETERS);
        }
        Values v = new Values(params, env, sys);
        RevocationSettings.Builder b = RevocationSettings.builder(
                v.get(RevocationSettings.REGION), v.get(RevocationSettings.USER_POOL_ID),
                v.get(RevocationSettings.CLIENT_ID));
        for (Parameters.Parameter<?> p : Parameters.all()) {
            if (!p.required() && v.has(p.name())) {
                p.apply(b, v.get(p.name()));
            }
        }
        return b.build();
    }

    /** How far a mistyped parameter name may be from a known one to be suggested. */
    private static final int MAX_SUGGESTION_DISTANCE = 2;

    /**
     * The known names nearest to a mistyped one, within {@value #MAX_SUGGESTION_DISTANCE} edits
     * (ignoring case, which is one more way to mistype them), alphabetically.
     *
     * @param name  the unknown name
     * @param known the known names
     * @return the closest names, empty when none is close
     */
    static List<String> closest(String name, Set<String> known) {
        String typed = name.toLowerCase(Locale.ROOT);
        int best = MAX_SUGGESTION_DISTANCE + 1;
        List<String> closest = new ArrayList<>();
        for (String candidate : new TreeSet<>(known)) {
            int d = distance(typed, candidate.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best) {
                closest.add(candidate);
            }
        }
        return closest;
    }

    /**
     * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
     * neighbouring characters each count one (so {@code clientSecert} is one from {@code clientSecret}).
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Values with placeholders resolved; a secret's resolved value never reaches a message. */
    private static final class Values {
        private final Map<String, String> resolved = new HashMap<>();

        /** Resolves every value once; a placeholder error names its parameter, never a value. */
        Values(Map<String, String> params, UnaryOperator<String> env, UnaryOperator<String> sys) {
            params.forEach((name, raw) -> {
                if (raw != null) {
                    resolved.put(name, resolve(name, raw, env, sys));
                }
            });
        }

        /** Whether an optional parameter is set: a value that resolves to blank counts as absent. */
        boolean has(String name) {
            String value = resolved.get(name);
            return value != null && !value.isBlank();
        }

        String get(String name) {
            return resolved.get(name);
        }

        /**
         * Says which placeholder is unset and how to fix it: set it, or write a default into web.xml
         * (empty for an optional parameter, which then counts as not set). Names only the variable.
         */
        private static String unset(String name, String kind, String key) {
            boolean env = "env".equals(kind);
            String placeholder = "${" + kind + ":" + key + "}";
            String withDefault = "${" + kind + ":" + key + ":-";
            String fix = env ? "set the environment variable " + key : "start the server with -D" + key + "=...";
            return "'" + placeholder + "' is not set" + (env ? " in the environment" : " as a system property")
                    + "; " + fix + ", or write a default in web.xml: " + withDefault + "value}"
                    + (Parameters.named(name).required() ? "" : ", or " + withDefault + "} to leave " + name + " unset");
        }

        private static String resolve(String name, String raw, UnaryOperator<String> env, UnaryOperator<String> sys) {
            if (PLACEHOLDER.matcher(raw).replaceAll("").contains("${")) {
                throw new RevocationConfigurationException(name,
                        "has a placeholder that is neither ${env:NAME} nor ${sys:name}");
            }
            Matcher m = PLACEHOLDER.matcher(raw);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String key = m.group(2).strip();
                if (key.isEmpty()) {
                    // Not m.group(): its default may be the secret itself.
                    throw new RevocationConfigurationException(name, "a ${" + m.group(1) + ":...} placeholder names no variable");
                }
                String value = "env".equals(m.group(1)) ? env.apply(key) : sys.apply(key);
                if (value == null) {
                    value = m.group(3);
                }
                if (value == null) {
                    // The secret's placeholder is echoed only when it names a variable the usual way:
                    // a secret pasted in as the variable's name must not leak into the log.
                    if (Parameters.named(name).secret() && !CONVENTIONAL_NAME.matcher(key).matches()) {
                        throw new RevocationConfigurationException(name, "its ${" + m.group(1) + ":...} placeholder"
                                + " names a variable that is not set; name it as variables are named (MY_SECRET)");
                    }
                    throw new RevocationConfigurationException(name, unset(name, m.group(1), key));
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }
    }
}
