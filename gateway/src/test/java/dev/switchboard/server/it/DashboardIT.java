package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.Fault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard over HTTP, as its page uses it: the login session (cookie attributes, CSRF,
 * logout), the page and its files, and the aggregate endpoints after real traffic.
 */
class DashboardIT {

  @RegisterExtension static final TestGateway gw = TestGateway.perClass();

  static final String HELLO =
      "{\"model\":\"openai/gpt-5.3-codex\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  static String root() {
    return gw.base().replace("/api/v1", "");
  }

  static HttpResponse<String> call(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(root() + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Logs in; returns the cookie pair ({@code sb_session=…}) and the CSRF token. */
  static String[] login() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}",
            "Content-Type",
            "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
    return new String[] {
      setCookie.substring(0, setCookie.indexOf(';')),
      ApiJson.tree(r.body()).path("data").path("csrf_token").asText()
    };
  }

  @Test
  void loginSetsAStrictHttpOnlyCookieAndNeverEchoesTheKey() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}",
            "Content-Type",
            "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    String cookie = r.headers().firstValue("set-cookie").orElseThrow();
    assertThat(cookie)
        .startsWith("sb_session=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800")
        .doesNotContain("Secure");
    assertThat(r.body()).doesNotContain(TestGateway.MASTER_KEY);
    assertThat(ApiJson.tree(r.body()).path("data").path("csrf_token").asText())
        .hasSizeGreaterThan(30);

    HttpResponse<String> behindTls =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}",
            "Content-Type",
            "application/json",
            "X-Forwarded-Proto",
            "https");
    assertThat(behindTls.headers().firstValue("set-cookie").orElseThrow()).contains("; Secure");
  }

  @Test
  void loginRefusesWrongKeysInferenceKeysAndOtherOrigins() throws Exception {
    HttpResponse<String> wrong =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"sk-sb-mgmt-v1-nope-nope-nope\"}",
            "Content-Type",
            "application/json");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
    HttpResponse<String> inference =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"" + TestGateway.KEY + "\"}",
            "Content-Type",
            "application/json");
    assertThat(inference.statusCode()).isEqualTo(403);
    HttpResponse<String> cross =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"" + TestGateway.MASTER_KEY + "\"}",
            "Content-Type",
            "application/json",
            "Origin",
            "https://evil.example");
    assertThat(cross.statusCode()).isEqualTo(403);
    assertThat(cross.headers().firstValue("set-cookie")).isEmpty();
    HttpResponse<String> extra =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"x\",\"remember\":true}",
            "Content-Type",
            "application/json");
    assertThat(extra.statusCode()).isEqualTo(400);
    assertThat(extra.body()).contains("remember");
  }

  @Test
  void aFormLoginRedirectsToTheDashboard() throws Exception {
    HttpResponse<String> ok =
        call(
            "POST",
            "/dashboard/login",
            "key=" + TestGateway.MASTER_KEY,
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("location")).contains("/dashboard/");
    assertThat(ok.headers().firstValue("set-cookie").orElseThrow()).contains("HttpOnly");
    HttpResponse<String> bad =
        call(
            "POST",
            "/dashboard/login",
            "key=wrong-key-wrong-key",
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(bad.statusCode()).isEqualTo(303);
    assertThat(bad.headers().firstValue("location")).contains("/dashboard/#login-failed");
    assertThat(bad.headers().firstValue("set-cookie")).isEmpty();
  }

  @Test
  void theSessionCookieAuthenticatesManagementCallsAndStateChangesNeedTheCsrfToken()
      throws Exception {
    String[] s = login();
    HttpResponse<String> session = call("GET", "/dashboard/session", null, "Cookie", s[0]);
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(ApiJson.tree(session.body()).path("data").path("csrf_token").asText())
        .isEqualTo(s[1]);
    assertThat(call("GET", "/api/v1/keys", null, "Cookie", s[0]).statusCode()).isEqualTo(200);

    String create = "{\"name\":\"from the dashboard\"}";
    HttpResponse<String> noToken =
        call("POST", "/api/v1/keys", create, "Cookie", s[0], "Content-Type", "application/json");
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("X-CSRF-Token");
    HttpResponse<String> wrongToken =
        call(
            "POST",
            "/api/v1/keys",
            create,
            "Cookie",
            s[0],
            "Content-Type",
            "application/json",
            "X-CSRF-Token",
            s[1] + "x");
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    HttpResponse<String> crossOrigin =
        call(
            "POST",
            "/api/v1/keys",
            create,
            "Cookie",
            s[0],
            "Content-Type",
            "application/json",
            "X-CSRF-Token",
            s[1],
            "Origin",
            "http://evil.example");
    assertThat(crossOrigin.statusCode()).isEqualTo(403);
    HttpResponse<String> ok =
        call(
            "POST",
            "/api/v1/keys",
            create,
            "Cookie",
            s[0],
            "Content-Type",
            "application/json",
            "X-CSRF-Token",
            s[1],
            "Origin",
            root());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);

    // An inference call is not a management call: the cookie does not stand for an inference key.
    assertThat(
            call(
                    "POST",
                    "/api/v1/chat/completions",
                    HELLO,
                    "Cookie",
                    s[0],
                    "Content-Type",
                    "application/json")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    String[] s = login();
    HttpResponse<String> withoutToken = call("POST", "/dashboard/logout", null, "Cookie", s[0]);
    assertThat(withoutToken.statusCode()).isEqualTo(403);
    HttpResponse<String> out =
        call("POST", "/dashboard/logout", null, "Cookie", s[0], "X-CSRF-Token", s[1]);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(call("GET", "/dashboard/session", null, "Cookie", s[0]).statusCode()).isEqualTo(401);
    HttpResponse<String> after = call("GET", "/api/v1/keys", null, "Cookie", s[0]);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).contains("log in");
  }

  @Test
  void aSessionEndsWithItsManagementKey() throws Exception {
    JsonNode mk =
        ApiJson.tree(
            gw.send("POST", "/management-keys", "{\"name\":\"temp admin\"}", TestGateway.MASTER_KEY)
                .body());
    String key = mk.path("key").asText();
    HttpResponse<String> r =
        call(
            "POST",
            "/dashboard/login",
            "{\"key\":\"" + key + "\"}",
            "Content-Type",
            "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String cookie = r.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    assertThat(call("GET", "/api/v1/keys", null, "Cookie", cookie).statusCode()).isEqualTo(200);
    HttpResponse<String> revoked =
        gw.send(
            "DELETE",
            "/management-keys/" + mk.path("data").path("hash").asText(),
            null,
            TestGateway.MASTER_KEY);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(call("GET", "/api/v1/keys", null, "Cookie", cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void thePageIsServedFromTheJarWithAStrictContentPolicy() throws Exception {
    HttpResponse<String> rootPage = call("GET", "/", null);
    assertThat(rootPage.statusCode()).isEqualTo(302);
    assertThat(rootPage.headers().firstValue("location")).contains("/dashboard/");
    assertThat(call("GET", "/dashboard", null).headers().firstValue("location"))
        .contains("/dashboard/");
    HttpResponse<String> page = call("GET", "/dashboard/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("default-src 'self'", "frame-ancestors 'none'");
    assertThat(page.body()).contains("app.js").doesNotContain("http://", "https://");
    HttpResponse<String> js = call("GET", "/dashboard/app.js", null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
    assertThat(js.body())
        .contains("u-legend", "/api/v1/dashboard/overview")
        .hasSizeGreaterThan(10_000);
    assertThat(call("GET", "/dashboard/missing.js", null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/dashboard/../pom.xml", null).statusCode()).isEqualTo(404);
  }

  @Test
  void overviewAndLogAggregateRealTraffic() throws Exception {
    String[] s = login();
    JsonNode created =
        ApiJson.tree(
            gw.send("POST", "/keys", "{\"name\":\"traffic\"}", TestGateway.MASTER_KEY).body());
    String key = created.path("key").asText();
    String hash = created.path("data").path("hash").asText();
    // Served by OpenAI (the model has other endpoints too), so the provider split names it.
    String onOpenAi =
        HELLO.replace("\"messages\"", "\"provider\":{\"only\":[\"openai\"]},\"messages\"");
    for (int i = 0; i < 3; i++) {
      assertThat(gw.post("/chat/completions", onOpenAi, key, "application/json").statusCode())
          .isEqualTo(200);
    }
    gw.simulator().addFault("openai", new Fault.Status(503, null, Map.of(), 100));
    HttpResponse<String> failed =
        gw.post(
            "/chat/completions",
            HELLO.replace(
                "\"messages\"",
                "\"provider\":{\"only\":[\"openai\"],\"allow_fallbacks\":false},\"messages\""),
            key,
            "application/json");
    assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
    assertThat(failed.headers().firstValue("x-generation-id")).isPresent();
    awaitLogged(hash, 4);

    JsonNode o =
        ApiJson.tree(
                call("GET", "/api/v1/dashboard/overview?range=24h&by=key", null, "Cookie", s[0])
                    .body())
            .path("data");
    assertThat(o.path("bucket").asText()).isEqualTo("hour");
    JsonNode mine = null;
    for (JsonNode p : o.path("series")) {
      if (p.path("group").asText().equals(hash)) {
        mine = p;
      }
    }
    assertThat(mine).as(o.toString()).isNotNull();
    assertThat(mine.path("requests").asLong()).isEqualTo(4);
    assertThat(mine.path("errors").asLong()).isEqualTo(1);
    assertThat(mine.path("label").asText()).startsWith("traffic (sk-sb-v1-");
    assertThat(mine.path("cost").decimalValue()).isPositive();
    assertThat(o.path("totals").path("latency_p50_ms").isNumber()).isTrue();
    assertThat(o.path("totals").path("latency_p95_ms").asLong())
        .isGreaterThanOrEqualTo(o.path("totals").path("latency_p50_ms").asLong());
    assertThat(o.path("totals").path("cost").decimalValue()).isPositive();

    JsonNode daily =
        ApiJson.tree(
                gw.get("/dashboard/overview?range=30d&by=provider", TestGateway.MASTER_KEY).body())
            .path("data");
    assertThat(daily.path("bucket").asText()).isEqualTo("day");
    assertThat(daily.path("series").toString()).contains("OpenAI");

    // The log: only this key, newest first, paged two at a time without repeats.
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          ApiJson.tree(
              gw.get(
                      "/dashboard/generations?limit=2&key="
                          + hash
                          + (cursor == null ? "" : "&cursor=" + cursor),
                      TestGateway.MASTER_KEY)
                  .body());
      for (JsonNode g : page.path("data")) {
        assertThat(seen.add(g.path("id").asText())).isTrue();
        order.add(g.path("created_at").asText());
        assertThat(g.path("key_hash").asText()).isEqualTo(hash);
      }
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    assertThat(seen).hasSize(4);
    JsonNode errors =
        ApiJson.tree(
            gw.get("/dashboard/generations?status=error&key=" + hash, TestGateway.MASTER_KEY)
                .body());
    assertThat(errors.path("data").size()).isEqualTo(1);
    assertThat(errors.path("data").get(0).path("status").asInt()).isEqualTo(503);
    assertThat(order).isSortedAccordingTo(java.util.Comparator.reverseOrder());

    JsonNode ok =
        ApiJson.tree(
            gw.get(
                    "/dashboard/generations?status=ok&model=openai/gpt-5.3-codex&key=" + hash,
                    TestGateway.MASTER_KEY)
                .body());
    assertThat(ok.path("data").size()).isEqualTo(3);
    String id = ok.path("data").get(0).path("id").asText();
    JsonNode none =
        ApiJson.tree(
            gw.get("/dashboard/generations?provider=Nobody&key=" + hash, TestGateway.MASTER_KEY)
                .body());
    assertThat(none.path("data").size()).isZero();

    // One generation: attempts, the routing trace, cost and timings.
    JsonNode detail =
        ApiJson.tree(
            call("GET", "/api/v1/dashboard/generations/" + id, null, "Cookie", s[0]).body());
    assertThat(detail.path("data").path("provider_responses").size()).isGreaterThanOrEqualTo(1);
    assertThat(detail.path("data").path("total_cost").decimalValue()).isPositive();
    assertThat(detail.path("data").path("latency").isNumber()).isTrue();
    assertThat(detail.path("routing").path("summary").asText()).startsWith("served by");
    assertThat(detail.path("routing").path("trace").size()).isGreaterThanOrEqualTo(1);
    assertThat(call("GET", "/api/v1/generation?id=" + id, null, "Cookie", s[0]).statusCode())
        .isEqualTo(200);
  }

  /** Waits until the write-behind queue has stored {@code n} generations of the key. */
  static void awaitLogged(String hash, int n) throws Exception {
    long end = System.nanoTime() + 10_000_000_000L;
    while (true) {
      JsonNode page =
          ApiJson.tree(gw.get("/dashboard/generations?key=" + hash, TestGateway.MASTER_KEY).body());
      if (page.path("data").size() >= n || System.nanoTime() > end) {
        assertThat(page.path("data").size()).as(page.toString()).isEqualTo(n);
        return;
      }
      Thread.sleep(50);
    }
  }

  @Test
  void badQueriesAreRefusedNamingTheParameter() throws Exception {
    String k = TestGateway.MASTER_KEY;
    assertThat(gw.get("/dashboard/overview?range=1y", k).body()).contains("range must be one of");
    assertThat(gw.get("/dashboard/overview?by=colour", k).body()).contains("by must be one of");
    assertThat(gw.get("/dashboard/overview?window=1", k).body()).contains("\\\"window\\\" is not");
    assertThat(gw.get("/dashboard/generations?limit=0", k).body())
        .contains("limit must be between");
    assertThat(gw.get("/dashboard/generations?cursor=zzz", k).body()).contains("cursor");
    assertThat(gw.get("/dashboard/generations?from=yesterday", k).body()).contains("from must be");
    assertThat(gw.get("/dashboard/generations?status=meh", k).statusCode()).isEqualTo(400);
    assertThat(gw.get("/dashboard/generations", TestGateway.KEY).statusCode()).isEqualTo(403);
    assertThat(gw.get("/dashboard/generations", null).statusCode()).isEqualTo(401);
  }

  @Test
  void theModelsPageListsEveryEndpointWithPricesAndLiveStats() throws Exception {
    assertThat(gw.chat(HELLO).statusCode()).isEqualTo(200);
    JsonNode rows =
        ApiJson.tree(gw.get("/dashboard/models", TestGateway.MASTER_KEY).body()).path("data");
    JsonNode served = null;
    for (JsonNode r : rows) {
      if (r.path("model").asText().equals("openai/gpt-5.3-codex")
          && r.path("uptime_30m").isNumber()) {
        served = r;
      }
    }
    assertThat(served).as(rows.toString()).isNotNull();
    assertThat(served.path("prompt_per_million").decimalValue()).isPositive();
    assertThat(served.path("latency_p50_ms").isNumber()).isTrue();
    assertThat(served.path("latency_p99_ms").asDouble())
        .isGreaterThanOrEqualTo(served.path("latency_p50_ms").asDouble());
    assertThat(served.path("breaker").asText()).isEqualTo("closed");
  }
}
