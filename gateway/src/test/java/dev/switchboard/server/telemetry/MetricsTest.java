package dev.switchboard.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.stats.LiveStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void eachLabelCombinationKeepsItsOwnMetersAndTheScrapeShowsThem() {
    try (Metrics m = new Metrics(new Catalog(List.of(), List.of()), new LiveStats(() -> 0L))) {
      for (int i = 0; i < 3; i++) {
        m.opened();
        m.finished("openai-chat", "m1", "p1", 200, 1_000_000L, 0, 10, 5, 1_500);
      }
      m.opened();
      m.finished("anthropic-messages", "m1", "p1", 200, 1_000_000L, 2_000_000L, 1, 1, 0);
      m.opened();
      // an equal but not identical API string finds the same meters
      m.finished(new String("openai-chat"), "m1", "p1", 429, 1_000_000L, 0, 0, 0, 0);
      m.opened();
      m.finished("openai-chat", "m1", "p1", 429, 1_000_000L, 0, 0, 0, 0);
      m.upstreamFailure("p1", FailureClass.UPSTREAM_RATE_LIMITED);
      m.upstreamFailure("p1", FailureClass.UPSTREAM_RATE_LIMITED);
      m.upstreamFailure("p2", FailureClass.TIMEOUT);

      String text = new String(m.scrapeBytes(), StandardCharsets.UTF_8);
      assertThat(text)
          .contains(
              "switchboard_requests_total{api=\"openai-chat\",model=\"m1\",provider=\"p1\","
                  + "status=\"200\"} 3.0")
          .contains(
              "switchboard_requests_total{api=\"openai-chat\",model=\"m1\",provider=\"p1\","
                  + "status=\"429\"} 2.0")
          .contains(
              "switchboard_requests_total{api=\"anthropic-messages\",model=\"m1\",provider=\"p1\","
                  + "status=\"200\"} 1.0")
          .contains(
              "switchboard_upstream_failures_total{failure_class=\"upstream_rate_limited\","
                  + "provider=\"p1\"} 2.0")
          .contains(
              "switchboard_upstream_failures_total{failure_class=\"timeout\",provider=\"p2\"} 1.0")
          .contains("switchboard_tokens_total{model=\"m1\",provider=\"p1\",type=\"prompt\"} 31.0")
          .contains("switchboard_cost_usd_total{model=\"m1\",provider=\"p1\"} 4.5E-6")
          .contains("switchboard_time_to_first_token_seconds_count{model=\"m1\",provider=\"p1\"} 1")
          .contains("switchboard_requests_in_flight 0.0");
      // the bytes and the text are the same exposition (the JVM gauges move in between)
      assertThat(m.scrape()).contains("switchboard_upstream_failures_total").endsWith("\n");
      assertThat(text).endsWith("\n");
    }
  }
}
