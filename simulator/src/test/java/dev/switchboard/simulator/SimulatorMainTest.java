package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimulatorMainTest {

  @Test
  void readsOptionsInBothForms() {
    SimulatorConfig config =
        SimulatorMain.parse(
            new String[] {"--port", "9090", "--ttft-ms=250", "--tps", "40", "--event-loops=3"});

    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.latency()).isEqualTo(Latency.of(250, 40));
    assertThat(config.eventLoops()).isEqualTo(3);
    assertThat(config.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void returnsNullForHelpAndRejectsUnknownOptions() {
    assertThat(SimulatorMain.parse(new String[] {"--help"})).isNull();
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--colour", "red"}))
        .hasMessageContaining("unknown option --colour");
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--port", "x"}))
        .hasMessageContaining("not a number for --port");
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--port", "70000"}))
        .hasMessageContaining("port must be");
  }
}
