package io.github.cognitorevoke.it;

import io.github.cognitorevoke.it.app.ProtectedServlet;
import io.github.cognitorevoke.it.app.RevocationProbe;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the test WARs as a user of the library would: the library's jar and its runtime dependencies in
 * {@code WEB-INF/lib}, a {@code web.xml} that declares {@code RevocationFilter} exactly as the README shows
 * (generated at test time, so it can carry the emulator's or stub's port), and the test application's
 * classes ({@link ProtectedServlet}, {@link RevocationProbe}).
 *
 * <p>Not an Arquillian {@code ApplicationArchiveProcessor}: Arquillian runs those for testable deployments
 * only, and these are all {@code testable = false} (the tests are HTTP clients).
 */
public final class TestWars {
    private TestWars() {}

    /**
     * The test application with the library, its filter configured by {@code initParams} (in this order).
     *
     * @param name the WAR's name, without {@code .war} (the context root)
     * @param initParams the filter's init-params
     * @return the WAR
     */
    public static WebArchive app(String name, Map<String, String> initParams) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(ProtectedServlet.class, RevocationProbe.class)
                .setWebXML(new StringAsset(webXml(initParams)))
                .addAsLibraries(libraryJars());
    }

    /**
     * The test application with more of the application's classes (servlets, CDI beans).
     *
     * @param name the WAR's name, without {@code .war} (the context root)
     * @param initParams the filter's init-params
     * @param classes the extra classes
     * @return the WAR
     */
    public static WebArchive app(String name, Map<String, String> initParams, Class<?>... classes) {
        return app(name, initParams).addClasses(classes);
    }

    /**
     * The README's {@code web.xml}: {@code RevocationFilter} named {@code cognito-revoke} on {@code /*}.
     *
     * @param initParams the filter's init-params
     * @return the descriptor's text
     */
    public static String webXml(Map<String, String> initParams) {
        return webXml(initParams, "");
    }

    /**
     * The README's {@code web.xml} with more of the application's descriptor after the filter's mapping
     * ({@code security-constraint}, {@code security-role}, ...).
     *
     * @param initParams the filter's init-params
     * @param moreElements elements of {@code web-app}, as XML text
     * @return the descriptor's text
     */
    public static String webXml(Map<String, String> initParams, String moreElements) {
        String params = initParams.entrySet().stream()
                .map(e -> "    <init-param><param-name>" + xml(e.getKey()) + "</param-name><param-value>"
                        + xml(e.getValue()) + "</param-value></init-param>\n")
                .collect(Collectors.joining());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\"\n"
                + "         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                + "         xsi:schemaLocation=\"https://jakarta.ee/xml/ns/jakartaee"
                + " https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd\"\n"
                + "         version=\"6.0\">\n"
                + "  <filter>\n"
                + "    <filter-name>cognito-revoke</filter-name>\n"
                + "    <filter-class>io.github.cognitorevoke.RevocationFilter</filter-class>\n"
                + params
                + "  </filter>\n"
                + "  <filter-mapping>\n"
                + "    <filter-name>cognito-revoke</filter-name>\n"
                + "    <url-pattern>/*</url-pattern>\n"
                + "  </filter-mapping>\n"
                + moreElements
                + "</web-app>\n";
    }

    /**
     * The library's jar ({@code it.library.jar}, built in {@code package}) and its runtime dependencies
     * ({@code dependency:copy-dependencies} into {@code it.war-lib.dir} in {@code pre-integration-test}).
     *
     * @return the jars for {@code WEB-INF/lib}
     */
    public static File[] libraryJars() {
        Path library = Path.of(System.getProperty("it.library.jar", "target/missing.jar"));
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException("the library's jar is missing: " + library.toAbsolutePath()
                    + " (mvn verify builds it in package, before the integration tests)");
        }
        Path dir = Path.of(System.getProperty("it.war-lib.dir", "target/it-war-lib"));
        try (Stream<Path> jars = Files.list(dir)) {
            return Stream.concat(Stream.of(library), jars.filter(p -> p.toString().endsWith(".jar")).sorted())
                    .map(Path::toFile)
                    .toArray(File[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("no WAR libraries at " + dir.toAbsolutePath()
                    + " (the build copies them in pre-integration-test: run mvn verify)", e);
        }
    }

    /**
     * Lettuce and its dependencies ({@code dependency:copy-dependencies} into
     * {@code it.war-lib-lettuce.dir}), for WARs that set {@code redisUri}: the library's jars
     * ({@link #libraryJars()}) leave them out, as a user's WAR does unless it adds Lettuce.
     *
     * @return the jars for {@code WEB-INF/lib}
     */
    public static File[] lettuceJars() {
        Path dir = Path.of(System.getProperty("it.war-lib-lettuce.dir", "target/it-war-lib-lettuce"));
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toFile).toArray(File[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException("no Lettuce jars at " + dir.toAbsolutePath()
                    + " (the build copies them in pre-integration-test: run mvn verify)", e);
        }
    }

    /**
     * Writes a WAR to a file, for servers a test starts itself (the cluster tests).
     *
     * @param war  the archive
     * @param file where it goes; its directory is created when missing
     * @return the file
     */
    public static Path exportTo(WebArchive war, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
