package io.stenographer.bootstrap.console;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.stenographer.testing.ChromiumInstall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One user's browser: Debian's Chromium, headless, with a fresh profile, driven by Debian's chromedriver. Everything
 * waits on a condition with a deadline ({@link #WAIT}); nothing sleeps.
 */
final class ConsoleBrowser implements AutoCloseable {

    /** Deadline of every wait on a page; generous for a loaded 2-core machine. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Screenshots of every page, for docs/CONSOLE.md (copied into docs/console/ by hand). */
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
    static final int WIDTH = 1280;
    static final int HEIGHT = 900;
    /** The WCAG levels the audit holds every page to. */
    static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21aa", "wcag22aa");

    final String user;
    final ChromeDriver driver;
    final WebDriverWait wait;
    final Path downloads;

    private ConsoleBrowser(String user, ChromeDriver driver, Path downloads) {
        this.user = user;
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
        this.downloads = downloads;
    }

    /** A new browser for {@code user}, with its own profile and download directory under target/browsers. */
    static ConsoleBrowser open(String user, ChromiumInstall.Browser browser) {
        try {
            Path root = Files.createDirectories(Path.of("target", "browsers")).toAbsolutePath();
            Path profile = Files.createTempDirectory(root, user + "-profile-");
            Path downloads = Files.createDirectories(Files.createTempDirectory(root, user + "-downloads-"));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser.chromium().toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "--window-size=" + WIDTH + "," + HEIGHT, "--lang=en-US");
            // The service's certificate comes from the tests' own authority; Keycloak runs on plain http.
            options.setAcceptInsecureCerts(true);
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false,
                    "download.directory_upgrade", true,
                    "safebrowsing.enabled", false));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(browser.chromedriver().toFile())
                    .usingAnyFreePort()
                    .withLogFile(root.resolve(user + "-chromedriver.log").toFile())
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return new ConsoleBrowser(user, driver, downloads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a console page; not signed in, Keycloak's login form comes first, which this fills in and sends. */
    void signIn(URI console, URI keycloak, String password, boolean screenshotLoginForm) {
        driver.get(console.toString());
        wait.withMessage(() -> "Keycloak's login form, at " + driver.getCurrentUrl())
                .until(d -> d.getCurrentUrl().startsWith(keycloak.toString())
                        && !d.findElements(By.id("username")).isEmpty());
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        if (screenshotLoginForm) {
            screenshot("01-keycloak-login");
        }
        driver.findElement(By.id("kc-login")).click();
        String base = console.getScheme() + "://" + console.getAuthority() + "/console/";
        wait.withMessage(() -> "the console after signing in as " + user + ", at " + driver.getCurrentUrl()
                        + "\n" + bodyText())
                .until(d -> d.getCurrentUrl().startsWith(base));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("header.top .user")));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for an element and answers it. */
    WebElement await(String css) {
        return wait.withMessage(() -> css + " on " + driver.getCurrentUrl() + "\n" + bodyText())
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** Clears a field and types into it. */
    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    String bodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no body: " + e.getMessage() + ")";
        }
    }

    /** The HTTP status of a GET of {@code path} by this browser, as the page's own fetch sees it. */
    long status(String path) {
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin', redirect: 'manual'})"
                        + ".then(function (r) { done(r.status); }, function (e) { done(-1); });", path);
        return ((Number) status).longValue();
    }

    /** Scrolls {@code focus} to the middle of the window, then saves what the browser shows. */
    Path screenshot(String name, WebElement focus) {
        driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", focus);
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "var r = arguments[0].getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight;",
                focus));
        return screenshot(name);
    }

    /** Saves what the browser shows as target/console-screenshots/{name}.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.innerWidth;")).intValue()
                <= width);
    }

    /**
     * axe-core's audit of the page as it is now, against {@link #WCAG_TAGS}: one line per violating element
     * (rule, impact, target, HTML, what to fix), each prefixed by {@code page}; empty when there is none. Printed too.
     */
    List<String> audit(String page) {
        Results results = new AxeBuilder().withTags(WCAG_TAGS).analyze(driver);
        List<String> found = new ArrayList<>();
        if (results.isErrored()) {
            found.add(page + ": axe-core failed: " + results.getErrorMessage());
        }
        for (Rule rule : results.getViolations()) {
            for (CheckedNode node : rule.getNodes()) {
                found.add(page + " [" + driver.getCurrentUrl() + "]: " + rule.getId() + " (" + rule.getImpact()
                        + ", " + rule.getHelpUrl() + ") at " + node.getTarget() + "\n      " + node.getHtml()
                        + "\n      " + String.valueOf(node.getFailureSummary()).replace("\n", "\n      "));
            }
        }
        System.out.printf("axe-core on %s (%s as %s): %d violation(s), %d rule(s) passed%n", page,
                driver.getCurrentUrl(), user, found.size(), results.getPasses().size());
        found.forEach(v -> System.out.println("  " + v));
        return found;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
