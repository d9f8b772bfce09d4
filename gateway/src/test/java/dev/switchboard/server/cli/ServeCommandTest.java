package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeCommandTest {

  private static GatewayConfig config(String host, boolean demo) {
    return ConfigLoader.load(
        null, Map.of(), new ConfigLoader.Overrides(host, 0, Path.of("unused"), demo));
  }

  @Test
  void demoModeListensOnLoopbackOnlyUnlessDemoPublicSaysOtherwise() {
    for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1"}) {
      assertThat(ServeCommand.demoExposure(config(loopback, true), false)).as(loopback).isNull();
    }
    for (String open : new String[] {"0.0.0.0", "::", "192.0.2.1"}) {
      assertThat(ServeCommand.demoExposure(config(open, true), false))
          .as(open)
          .startsWith("--demo serves the public key sk-sb-v1-demo and " + open + " is not a");
      assertThat(ServeCommand.demoExposure(config(open, true), true)).as(open).isNull();
    }
  }

  @Test
  void demoPublicAloneIsRefusedAndAnyAddressIsFineWithoutDemo() {
    assertThat(ServeCommand.demoExposure(config("0.0.0.0", false), true))
        .isEqualTo("--demo-public only applies to --demo");
    assertThat(ServeCommand.demoExposure(config("0.0.0.0", false), false)).isNull();
  }
}
