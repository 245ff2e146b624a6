package io.asyncbridge.launcher.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.service.RunningServices;
import io.asyncbridge.core.service.ServiceContext;
import io.asyncbridge.core.service.ServiceLauncher;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.asyncbridge.launcher.testing.LauncherFixtures;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.asyncbridge.testkit.junit.KafkaCluster;
import io.asyncbridge.testkit.junit.WithKafka;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web view in a real browser (Debian's chromium, headless, driven through chromedriver): it asks for the
 * management token, then shows the tasks in flight with their progress, the recent completions with status, via and
 * error code, and the rates per status, and updates them as tasks end. Skipped where no chromium and chromedriver are
 * installed. With {@code -Dbridge.ui.screenshot=FILE} it saves what it sees as a PNG (the README's picture).
 */
@WithKafka
class WebViewIT {

    static final String TOKEN = "a-web-view-test-management-token";

    /** After the kafka and topics sections: the simulator's Acquia API and token URL, the management token. */
    private static final String CONFIG = """
            management: {host: 127.0.0.1, port: 0, authToken: %3$s}
            providers:
              acquia:
                type: acquia
                baseUrl: %1$s
                tokenUrl: %2$s
                clientId: ${ACQUIA_CLIENT_ID}
                clientSecret: ${ACQUIA_CLIENT_SECRET}
                poll: {initialDelay: 100ms, initialInterval: 500ms, maxInterval: 1s}
            """;

    @TempDir
    Path dir;

    private UpstreamSimulator simulator;
    private RunningServices running;
    private WebDriver browser;

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
        if (running != null) {
            running.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void thePageShowsTasksInFlightRecentCompletionsAndRatesAndFollowsThem(KafkaCluster kafka) throws Exception {
        File chromium = executable("chromium");
        File chromedriver = executable("chromedriver");
        Assumptions.assumeTrue(chromium != null && chromedriver != null,
                "no chromium and chromedriver installed (apt-get install chromium chromium-driver)");

        simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).taskDuration(Duration.ofSeconds(2))
                .build());
        String run = LauncherFixtures.runId();
        SimulatorConfig sim = simulator.config();
        BridgeConfig config = new BridgeConfigLoader(LauncherFixtures.simulatorCredentials()).parse("bridge.yaml",
                LauncherFixtures.kafkaAndTopicsYaml(kafka, "ui", run)
                        + CONFIG.formatted(simulator.acquiaBaseUrl(), simulator.acquiaTokenUrl(), TOKEN));
        LauncherFixtures.createTopics(kafka, config, 3);
        running = ServiceLauncher.start(new ServiceContext(config, dir.resolve("state"), Vertx.vertx(),
                Clock.systemUTC()), ServiceCatalog.factory(List.of("ingest", "poller")));

        browser = chrome(chromium, chromedriver);
        browser.get("http://127.0.0.1:" + running.managementPort() + "/ui/");
        WebElement auth = browser.findElement(By.id("auth"));
        await().atMost(Duration.ofSeconds(20)).until(auth::isDisplayed);
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("#auth-form button")).click();

        LauncherFixtures.send(kafka, config.topics().requests(), Map.of(
                "ui-long-1-" + run, request("ui-long-1-" + run, "never"),
                "ui-long-2-" + run, request("ui-long-2-" + run, "never"),
                "ui-ok-" + run, request("ui-ok-" + run, "success"),
                "ui-fail-" + run, request("ui-fail-" + run, "fail")));

        await().atMost(Duration.ofSeconds(90)).until(() -> rows("#inflight").contains("ui-long-1-" + run)
                && rows("#inflight").contains("ui-long-2-" + run));
        await().atMost(Duration.ofSeconds(90)).until(() -> rows("#recent").contains("ui-ok-" + run)
                && rows("#recent").contains("ui-fail-" + run));
        assertThat(auth.isDisplayed()).isFalse();
        WebElement failed = browser.findElement(By.cssSelector("#recent tr[data-task-id='ui-fail-" + run + "']"));
        assertThat(failed.getText()).contains("failed").contains("poll").contains("upstream_failed");
        WebElement succeeded = browser.findElement(By.cssSelector("#recent tr[data-task-id='ui-ok-" + run + "']"));
        assertThat(succeeded.findElement(By.cssSelector(".status")).getText()).isEqualTo("succeeded");
        assertThat(rows("#inflight")).doesNotContain("ui-ok-" + run);
        assertThat(browser.findElement(By.cssSelector("#inflight tr[data-task-id='ui-long-1-" + run + "']")).getText())
                .contains("acquia").contains("poll").contains("polling");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(
                By.cssSelector("#rates .rate[data-status='succeeded']")).isEmpty());

        browser.findElement(By.cssSelector("#inflight tr[data-task-id='ui-long-1-" + run + "'] td.id")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("detail-body")).getText()
                .contains("\"state\": \"polling\""));
        assertThat(browser.getPageSource()).doesNotContain(sim.acquiaClientSecret()).doesNotContain(TOKEN);

        String screenshot = System.getProperty("bridge.ui.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            Files.write(Path.of(screenshot), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        }
    }

    private String rows(String table) {
        StringBuilder ids = new StringBuilder();
        for (WebElement row : browser.findElements(By.cssSelector(table + " tbody tr"))) {
            ids.append(row.getAttribute("data-task-id")).append('\n');
        }
        return ids.toString();
    }

    private WebDriver chrome(File chromium, File chromedriver) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1366,860");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1366, 860));
        return driver;
    }

    private static File executable(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/lib/chromium")) {
            File file = new File(dir, name);
            if (file.canExecute()) {
                return file;
            }
        }
        return null;
    }

    private static String request(String taskId, String scenario) {
        return LauncherFixtures.simulatorRequest(taskId, "acquia", "/applications/app-1/databases", scenario, null,
                Map.of("team", "databases"));
    }
}
