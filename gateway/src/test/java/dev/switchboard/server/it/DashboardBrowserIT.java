package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by chromedriver): log in,
 * create a key, make a playground request, find it in the activity log with its route, see its
 * spend in the overview chart, check the models page, log out. The steps run in order on one
 * browser, as a user would; each saves a screenshot under {@code target/dashboard-screenshots/}.
 *
 * <p>Without chromium this test fails, saying how to install it: {@code ./switchboard test} and
 * {@code .ci/run} install it when they run as root ({@code .ci/browser-setup}); elsewhere point
 * {@code SWITCHBOARD_CHROMIUM} and {@code SWITCHBOARD_CHROMEDRIVER} at a Chromium and its driver.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final Path SHOTS = Path.of("target", "dashboard-screenshots");
  static final String MODEL = "openai/gpt-5.3-codex";

  static ChromeDriver driver;
  static WebDriverWait wait;

  static Path executable(String variable, String fallback) {
    String configured = System.getenv(variable);
    Path p = Path.of(configured == null || configured.isBlank() ? fallback : configured);
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(
          "The dashboard's browser tests need "
              + p
              + " (Chromium and its driver). Install them with '.ci/browser-setup' as root"
              + " (Debian/Ubuntu: apt-get install -y chromium chromium-driver), or set "
              + variable
              + " to the executable.");
    }
    return p;
  }

  @BeforeAll
  static void browser() throws IOException {
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(executable("SWITCHBOARD_CHROMIUM", "/usr/bin/chromium").toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // the suite may run as root (CI containers)
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--no-first-run",
        "--disable-extensions");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                executable("SWITCHBOARD_CHROMEDRIVER", "/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  @AfterAll
  static void quit() {
    if (driver != null) {
      shot("99-last");
      driver.quit();
    }
  }

  static void shot(String name) {
    try {
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException | RuntimeException e) {
      // a screenshot is evidence, not the test: its failure must not hide the real one
      System.err.println("screenshot " + name + " failed: " + e);
    }
  }

  static WebElement visible(String id) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  static void page(String name) {
    visible("nav-" + name).click();
  }

  static String root() {
    return gw.base().replace("/api/v1", "");
  }

  @Test
  @Order(1)
  void logsInWithTheManagementKey() {
    driver.get(root() + "/");
    WebElement key = visible("login-key");
    assertThat(driver.getCurrentUrl()).endsWith("/dashboard/");
    key.sendKeys("sk-sb-mgmt-v1-not-the-key");
    driver.findElement(By.id("login-submit")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("login-form"), "not a valid"));
    shot("01-login-refused");
    key.clear();
    key.sendKeys(TestGateway.MASTER_KEY);
    driver.findElement(By.id("login-submit")).click();
    assertThat(visible("who").getText()).contains("sk-sb-mgmt-v1-");
    assertThat(driver.manage().getCookieNamed("sb_session").isHttpOnly()).isTrue();
    visible("overview-totals");
    shot("02-overview-before");
  }

  @Test
  @Order(2)
  void createsAKeyAndShowsItOnce() {
    page("keys");
    visible("key-name").sendKeys("browser test");
    driver.findElement(By.id("key-limit")).sendKeys("5");
    new Select(driver.findElement(By.id("key-reset"))).selectByValue("monthly");
    driver.findElement(By.id("key-rpm")).sendKeys("100");
    driver.findElement(By.id("key-create")).click();
    assertThat(visible("new-key").getText()).matches("sk-sb-v1-[0-9a-f]{64}");
    String table = visible("keys-table").getText();
    assertThat(table).contains("browser test", "$5", "monthly", "100 req/min");
    shot("03-key-created");
  }

  @Test
  @Order(3)
  void makesAStreamingPlaygroundRequestWithCostAndRoute() {
    page("playground");
    // The key just created is filled in (kept in the page only).
    assertThat(visible("pg-key").getAttribute("value")).startsWith("sk-sb-v1-");
    new Select(driver.findElement(By.id("pg-model"))).selectByValue(MODEL);
    driver.findElement(By.id("pg-prompt")).sendKeys("Hello from the browser");
    driver.findElement(By.id("pg-send")).click();
    WebElement cost = visible("pg-cost");
    assertThat(cost.getText()).startsWith("$").isNotEqualTo("$0");
    assertThat(driver.findElement(By.id("pg-route")).getText()).startsWith("served by");
    assertThat(driver.findElement(By.id("pg-answer")).getText()).contains("Hello from the browser");
    assertThat(driver.findElement(By.id("pg-raw-request")).getText()).contains("\"stream\": true");
    assertThat(driver.findElement(By.id("pg-raw-response")).getText())
        .contains("data: ", "[DONE]", "x-generation-id");
    shot("04-playground");
  }

  @Test
  @Order(4)
  void findsTheRequestInTheActivityLogWithItsRoute() {
    page("activity");
    WebElement row =
        wait.until(
            d -> {
              List<WebElement> rows = d.findElements(By.cssSelector("#activity-table tr[data-id]"));
              return rows.isEmpty() ? null : rows.get(0);
            });
    assertThat(row.getText()).contains(MODEL, "browser test", "200");
    shot("05-activity");
    row.click();
    assertThat(visible("route-summary").getText()).startsWith("served by");
    assertThat(visible("route-trace").getText()).contains(MODEL);
    assertThat(visible("generation-attempts").getText()).contains("200");
    assertThat(visible("generation-cost").getText()).contains("Total", "$");
    shot("06-generation");
  }

  @Test
  @Order(5)
  void seesTheSpendInTheOverviewChart() {
    page("overview");
    WebElement totals = visible("overview-totals");
    assertThat(Double.parseDouble(totals.getAttribute("data-cost"))).isPositive();
    WebElement chart = visible("chart-spend");
    assertThat(chart.getAttribute("data-series")).contains(MODEL);
    assertThat(chart.findElement(By.cssSelector("canvas")).getSize().getWidth()).isPositive();
    assertThat(chart.findElement(By.cssSelector(".u-legend")).getText()).contains(MODEL);
    assertThat(visible("overview-groups").getText()).contains(MODEL);
    new Select(driver.findElement(By.id("overview-by"))).selectByValue("key");
    wait.until(
        ExpectedConditions.attributeContains(By.id("chart-spend"), "data-series", "browser test"));
    shot("07-overview-spend");
  }

  @Test
  @Order(6)
  void checksTheModelsPage() {
    page("models");
    WebElement table = visible("models-table");
    WebElement served =
        table.findElements(By.cssSelector("tr[data-id^='" + MODEL + "|']")).stream()
            .filter(r -> r.getText().contains(" ms"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no live latency for " + MODEL + ": " + table.getText()));
    // The endpoint that served: its prices, live latency, uptime and breaker state.
    assertThat(served.getText()).contains("$", "100.0 %", "closed");
    driver.findElement(By.id("models-filter")).sendKeys("claude");
    assertThat(visible("models-table").getText()).doesNotContain(MODEL).contains("anthropic/");
    shot("08-models");
    page("providers");
    visible("chart-provider-health");
    shot("09-providers");
  }

  @Test
  @Order(7)
  void logsOut() {
    visible("logout").click();
    visible("login-key");
    driver.navigate().refresh();
    visible("login-key"); // the session is gone on the server, not only in the page
    shot("10-logged-out");
  }
}
