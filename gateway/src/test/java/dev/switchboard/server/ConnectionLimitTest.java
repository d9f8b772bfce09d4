package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionLimitTest {

  @Test
  void http1LeavesHalfOfTheDescriptorsForUpstreamConnections() {
    // 20,000 descriptors: 256 kept, half of the rest for clients
    assertThat(Gateway.allowedConnections(20_000, false)).isEqualTo(9_872);
    assertThat(Gateway.allowedConnections(1_024, false)).isEqualTo(384);
  }

  @Test
  void http2CapsTheUpstreamShareSoTenThousandStreamsFitUnderTwentyThousandDescriptors() {
    assertThat(Gateway.allowedConnections(20_000, true)).isEqualTo(17_696);
    // a small limit still splits in half
    assertThat(Gateway.allowedConnections(1_024, true)).isEqualTo(384);
  }

  @Test
  void aTinyLimitStillAllowsSixteen() {
    assertThat(Gateway.allowedConnections(100, false)).isEqualTo(16);
    assertThat(Gateway.allowedConnections(100, true)).isEqualTo(16);
  }
}
