package io.github.cognitorevoke.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless browser for the server-OIDC tests: Debian's {@code chromium} driven through its
 * {@code chromedriver} (the build installs both when missing, {@code src/it/browser/install-chromium}).
 * Selenium Manager is never asked to download anything: the driver's and the browser's paths are given.
 * A missing browser fails the test, it never skips it. Public for the cluster tests.
 */
public final class Browser {

    private Browser() {
    }

    /**
     * Starts a fresh headless browser (no cookies, no cache); quit it when done.
     *
     * @return the driver
     */
    public static ChromeDriver start() {
        Path chromium = onPath("chromium");
        Path driver = onPath("chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--user-data-dir=" + tempProfile());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return browser;
    }

    private static String tempProfile() {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "chromium-profile");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a browser profile directory", e);
        }
    }

    private static Path onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(command + " is not installed: the browser tests need"
                        + " Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver;"
                        + " mvn verify installs them when it can)"));
    }
}
