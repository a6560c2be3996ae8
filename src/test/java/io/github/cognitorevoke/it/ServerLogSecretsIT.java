package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other IT class of the Failsafe execution (class order by {@code @Order}, configured in
 * the pom) and checks that no access token, ID token, refresh token, password or client secret those tests
 * sent reached a log: the WildFly {@code server.log}, the Payara Micro log, and the Failsafe output files
 * (which hold the servers' consoles). Every file it reads lies under {@code target/}.
 */
@Order(Integer.MAX_VALUE)
class ServerLogSecretsIT {

    @Test
    void logsOfTheRun_containNoTokenPasswordOrClientSecret() throws IOException {
        Collection<String> secrets = RunSecrets.all();
        assumeFalse(secrets.isEmpty(), "no other IT class ran in this JVM");
        List<Path> logs = logFiles();
        assertThat(logs).as("log files of this run").isNotEmpty();
        assertThat(ServerLogs.file()).as("the log of " + ServerLogs.server()).isPresent();

        List<String> leaks = new ArrayList<>();
        boolean libraryLogged = false;
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1); // any bytes, no decoding errors
            // The search below only means something if the library's own lines reach these files.
            libraryLogged |= text.contains("cognito-revoke: active for RevocationSettings[")
                    && text.contains("clientSecret=(set)");
            for (String secret : secrets) {
                for (String needle : needles(secret)) {
                    if (text.contains(needle)) {
                        leaks.add(log.getFileName() + " contains a secret of " + secret.length() + " chars ("
                                + (needle.equals(secret) ? "whole" : "its signature part") + ")");
                    }
                }
            }
        }
        assertThat(libraryLogged).as("the library's deployment line (with the secret masked) is in a log").isTrue();
        assertThat(leaks).isEmpty();
    }

    /** The whole value, and for a JWT or JWE-like token its last part (a header dump may cut it differently). */
    private static List<String> needles(String secret) {
        List<String> needles = new ArrayList<>(List.of(secret));
        String[] parts = secret.split("\\.");
        if (parts.length >= 3 && parts[parts.length - 1].length() >= 16) {
            needles.add(parts[parts.length - 1]);
        }
        return needles;
    }

    private static List<Path> logFiles() throws IOException {
        Path build = Path.of(System.getProperty("it.build.dir", "target"));
        List<Path> files = new ArrayList<>();
        Path wildfly = Path.of(System.getProperty("it.wildfly.home", build.resolve("wildfly").toString()),
                "standalone", "log", "server.log");
        if (Files.isRegularFile(wildfly)) {
            files.add(wildfly);
        }
        try (Stream<Path> top = Files.list(build)) {
            top.filter(p -> p.getFileName().toString().startsWith("payara-server.log"))
                    .filter(p -> !p.getFileName().toString().endsWith(".lck"))
                    .forEach(files::add);
        }
        Path reports = build.resolve("failsafe-reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> outputs = Files.list(reports)) {
                outputs.filter(p -> p.getFileName().toString().endsWith("-output.txt")).forEach(files::add);
            }
        }
        return files;
    }
}
