package dev.switchboard.server.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.testkit.postgres.PrivatePostgres;
import dev.switchboard.testkit.postgres.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway on a PostgreSQL that stops (a private server, never the machine's): readiness turns
 * false with the reason; requests keep being answered while their records are kept in memory; once
 * the bounded backlog is full, new billable requests get 503; when the server is back every kept
 * record is written and the gateway is ready again.
 */
class PostgresDownIT {

  @TempDir Path dir;

  @Test
  void readinessFallsRecordsAreKeptAndAFullBacklogRefusesNewRequests() throws Exception {
    try (PrivatePostgres server = PrivatePostgres.start();
        TestDatabase db = server.createDatabase();
        GatewayProcesses cluster = new GatewayProcesses(db, dir)) {
      // The smallest backlog the configuration allows: each request writes a record and a charge.
      String yaml = cluster.yaml().replace("  pool:", "  backlog: 100\n  pool:");
      GatewayProcesses.Node node = startWith(cluster, yaml);
      String key = node.createKey(null);
      assertThat(node.chat(key, "test/echo", "warm the key cache").statusCode()).isEqualTo(200);

      server.stopServer();
      HttpResponse<String> ready = node.awaitHealth(503);
      JsonNode body = ApiJson.tree(ready.body());
      assertThat(body.path("status").asText()).isEqualTo("unavailable");
      // The probe's "PostgreSQL unreachable", or the writer's "database unreachable" when the
      // warm-up's record (written behind its reply) was still on its way to the stopped server.
      assertThat(body.path("reason").asText()).containsPattern("(PostgreSQL|database) unreachable");
      assertThat(body.path("node").asText()).isEqualTo("node-pg");

      List<String> answered = new ArrayList<>();
      HttpResponse<String> refused = null;
      for (int i = 0; i < 200 && refused == null; i++) {
        HttpResponse<String> r = node.chat(key, "test/echo", "while down " + i);
        if (r.statusCode() == 200) {
          answered.add(r.headers().firstValue("X-Generation-Id").orElseThrow());
        } else {
          refused = r;
        }
      }
      assertThat(answered).as("answered while the database was down").isNotEmpty();
      assertThat(refused).as("refused once the backlog was full").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("cannot record requests now");
      assertThat(refused.headers().firstValue("X-Generation-Id")).isEmpty();

      server.startServer();
      node.awaitReady();
      String in = "('" + String.join("','", answered) + "')";
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (db.count("SELECT COUNT(*) FROM generations WHERE id IN " + in) < answered.size()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(db.count("SELECT COUNT(*) FROM generations WHERE id IN " + in))
          .as("every record kept through the outage is written")
          .isEqualTo(answered.size());
      assertThat(node.chat(key, "test/echo", "after").statusCode()).isEqualTo(200);
      assertThat(node.log()).doesNotContain("charge dropped").doesNotContain("not written");
    }
  }

  private static GatewayProcesses.Node startWith(GatewayProcesses cluster, String yaml)
      throws Exception {
    cluster.overrideYaml(yaml);
    return cluster.start("node-pg");
  }
}
