package dev.switchboard.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.provider.ProviderAdapter;
import dev.switchboard.core.provider.Target;
import dev.switchboard.simulator.Simulator;
import dev.switchboard.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite, as a JUnit base class. A provider module's {@code XxxConformanceTest}
 * extends it, names its adapter and a target for a simulated endpoint, and declares how it handles
 * every {@link Scenario} ({@link Support}): supported scenarios must pass, refused ones must be
 * refused cleanly by {@code encode} ({@code INVALID_REQUEST}, nothing sent, never half-done), not
 * applicable ones are skipped with their reason.
 *
 * <p>Everything runs offline against an in-process simulator on a free port; the adapter's
 * simulated provider is {@code /p/<adapterName>/v1}. Results go to {@code
 * target/conformance/<adapterName>.jsonl} and {@link CompatibilityDoc} then rewrites {@code
 * docs/providers/compatibility.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderConformance {

  private final List<ScenarioResult> results = new ArrayList<>();
  private Simulator simulator;

  /** The adapter's name: its matrix column and result file. */
  protected abstract String adapterName();

  protected abstract ProviderAdapter adapter();

  /** The target to test, at {@code baseUrl} (the simulator's base URL for this adapter). */
  protected abstract Target target(String baseUrl);

  /** How the adapter handles each scenario; every scenario must be declared. */
  protected abstract Map<Scenario, Support> support();

  /**
   * Every scenario declared {@link Support#supported()}, in a map the adapter's {@link #support()}
   * then narrows with what it refuses or cannot be judged on.
   */
  protected static Map<Scenario, Support> allSupported() {
    Map<Scenario, Support> support = new EnumMap<>(Scenario.class);
    for (Scenario scenario : Scenario.values()) {
      support.put(scenario, Support.supported());
    }
    return support;
  }

  @BeforeAll
  void startSimulator() {
    simulator =
        Simulator.start(SimulatorConfig.builder().eventLoops(1).recordedRequests(0).build());
  }

  @AfterAll
  void writeResults() {
    if (simulator != null) {
      simulator.close();
    }
    if (results.size() != Scenario.values().length) {
      return; // a partial run (one test picked by name) does not rewrite the matrix
    }
    Path file = Path.of("target", "conformance", adapterName() + ".jsonl");
    StringBuilder lines = new StringBuilder();
    results.stream()
        .sorted(java.util.Comparator.comparing(ScenarioResult::scenario))
        .forEach(r -> lines.append(r.toJsonLine()).append('\n'));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompatibilityDoc.render(CompatibilityDoc.repoRoot(Path.of("")));
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioPassesOrIsRefusedCleanly() {
    Map<Scenario, Support> declared = support();
    List<DynamicTest> tests = new ArrayList<>();
    for (Scenario scenario : Scenario.values()) {
      Support support = declared.get(scenario);
      tests.add(DynamicTest.dynamicTest(scenario.id(), () -> run(scenario, support)));
    }
    return tests.stream();
  }

  private void run(Scenario scenario, Support support) {
    if (support == null) {
      record(scenario, ScenarioResult.Outcome.FAIL, "not declared");
      throw new AssertionError(
          adapterName() + " does not declare how it handles scenario " + scenario.id());
    }
    switch (support) {
      case Support.NotApplicable n -> {
        record(scenario, ScenarioResult.Outcome.NOT_APPLICABLE, n.why());
        Assumptions.abort("not applicable: " + n.why());
      }
      case Support.Rejected r -> {
        ConformanceDriver driver = driver();
        Exchange exchange = driver.send(Scenarios.firstRequest(scenario), null);
        boolean clean =
            exchange instanceof Exchange.Rejected rejected
                && rejected.exception().error().kind() == FailureClass.INVALID_REQUEST;
        record(
            scenario,
            clean ? ScenarioResult.Outcome.REJECTED : ScenarioResult.Outcome.FAIL,
            clean ? r.why() : "declared refused, but got " + Scenarios.describe(exchange));
        assertThat(clean)
            .as(
                "%s should refuse %s cleanly, got %s",
                adapterName(), scenario.id(), Scenarios.describe(exchange))
            .isTrue();
      }
      case Support.Supported s -> {
        try {
          Scenarios.run(scenario, driver());
        } catch (AssertionError | RuntimeException e) {
          record(scenario, ScenarioResult.Outcome.FAIL, String.valueOf(e.getMessage()));
          throw e;
        }
        record(scenario, ScenarioResult.Outcome.PASS, null);
      }
    }
  }

  private ConformanceDriver driver() {
    return new ConformanceDriver(adapter(), target(simulator.baseUrl(adapterName())));
  }

  private synchronized void record(
      Scenario scenario, ScenarioResult.Outcome outcome, String detail) {
    results.removeIf(r -> r.scenario() == scenario);
    results.add(new ScenarioResult(adapterName(), scenario, outcome, detail));
  }
}
