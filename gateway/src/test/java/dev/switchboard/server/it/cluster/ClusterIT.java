package dev.switchboard.server.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.testkit.postgres.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real gateway processes on one PostgreSQL database (storage.kind: postgres): what one node
 * served is on the other at once, and a node killed with SIGKILL mid-load loses no record of a
 * request it answered (a reply in cluster mode waits for its record's commit).
 */
class ClusterIT {

  @TempDir Path dir;
  TestDatabase db;
  GatewayProcesses cluster;

  @BeforeEach
  void start() {
    db = TestDatabase.create();
    cluster = new GatewayProcesses(db, dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
    db.close();
  }

  @Test
  void aGenerationServedByNodeAIsReadableOnNodeBAtOnce() throws Exception {
    // One data folder for both: on PostgreSQL it is not locked (SQLite's is, one gateway each).
    GatewayProcesses.Node a = cluster.start("node-a", "shared-data");
    GatewayProcesses.Node b = cluster.start("node-b", "shared-data");
    String key = a.createKey(null);

    HttpResponse<String> answer = a.chat(key, "test/echo", "hello");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    String id = answer.headers().firstValue("X-Generation-Id").orElseThrow();

    // No wait: the reply was sent once the record was committed.
    HttpResponse<String> onB = b.get("/generation?id=" + id, key);
    assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
    JsonNode data = ApiJson.tree(onB.body()).path("data");
    assertThat(data.path("id").asText()).isEqualTo(id);
    assertThat(data.path("model").asText()).isEqualTo("test/echo");
    assertThat(data.path("total_cost").decimalValue()).isPositive();

    // The key made on A works on B too, and each node reports its own id.
    assertThat(b.chat(key, "test/echo", "again").statusCode()).isEqualTo(200);
    JsonNode readyA = ApiJson.tree(a.get("/health/ready", null).body());
    assertThat(readyA.path("status").asText()).isEqualTo("ready");
    assertThat(readyA.path("node").asText()).isEqualTo("node-a");
    assertThat(ApiJson.tree(b.get("/health/ready", null).body()).path("node").asText())
        .isEqualTo("node-b");
    assertThat(a.log()).contains("node=node-a").doesNotContain("node=node-b");
    assertThat(db.count("SELECT COUNT(*) FROM generations")).isEqualTo(2);
  }

  @Test
  void sigkillOfNodeAMidLoadLosesNoRecordItAnswered() throws Exception {
    GatewayProcesses.Node a = cluster.start("node-a");
    GatewayProcesses.Node b = cluster.start("node-b");
    String key = b.createKey(null);
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicBoolean killed = new AtomicBoolean();
    int clients = 8;
    ExecutorService load = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      load.submit(
          () -> {
            while (!killed.get()) {
              try {
                HttpResponse<String> r = a.chat(key, "test/echo", "load");
                if (r.statusCode() == 200) {
                  answered.add(r.headers().firstValue("X-Generation-Id").orElseThrow());
                }
              } catch (Exception connectionLost) {
                return null;
              }
            }
            return null;
          });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (answered.size() < 100 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    a.kill(); // SIGKILL while the clients are sending
    killed.set(true);
    load.shutdown();
    assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    List<String> ids = new ArrayList<>(answered);
    assertThat(ids).as("answered before the kill").hasSizeGreaterThanOrEqualTo(50);

    String in = "('" + String.join("','", ids) + "')";
    assertThat(db.count("SELECT COUNT(*) FROM generations WHERE id IN " + in))
        .as("every answered generation is in the database")
        .isEqualTo(ids.size());
    assertThat(
            db.count(
                "SELECT COUNT(DISTINCT generation_id) FROM key_usage_ledger"
                    + " WHERE generation_id IN "
                    + in))
        .as("and so is its charge")
        .isEqualTo(ids.size());
    // Node B still serves, and reads what A committed.
    HttpResponse<String> r = b.get("/generation?id=" + ids.getFirst(), key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
