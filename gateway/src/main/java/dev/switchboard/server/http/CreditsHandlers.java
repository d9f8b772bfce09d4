package dev.switchboard.server.http;

import dev.switchboard.server.pipeline.Services;
import dev.switchboard.server.storage.CreditEntry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /credits} (checklist 130), and the funding side OpenRouter keeps in its web app:
 * {@code POST /credits} books an amount with a note, {@code GET /credits/ledger} lists who added
 * what and when. Management keys only.
 */
final class CreditsHandlers {

  private static final int PAGE = 100;

  private final ManagementCalls calls;
  private final Services services;

  CreditsHandlers(ManagementCalls calls, Services services) {
    this.calls = calls;
    this.services = services;
  }

  void get(io.vertx.ext.web.RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () ->
            calls
                .caller(ctx)
                .map(
                    key -> {
                      Map<String, Object> data = new LinkedHashMap<>();
                      data.put("total_credits", usd(services.storage().credits().totalCredits()));
                      data.put("total_usage", usd(services.storage().credits().totalUsage()));
                      return Map.of("data", data);
                    }));
  }

  void add(io.vertx.ext.web.RoutingContext ctx) {
    calls.reply(
        ctx,
        201,
        () ->
            calls
                .withBody(ctx, Set.of("amount", "note"))
                .compose(
                    call -> {
                      BigDecimal amount = ManagementCalls.money(call.body(), "amount", true);
                      String note = ManagementCalls.text(call.body(), "note", 500, false);
                      return calls.blocking(
                          () ->
                              Map.of(
                                  "data",
                                  entry(
                                      services
                                          .storage()
                                          .credits()
                                          .add(
                                              amount,
                                              ManagementCalls.actor(call.caller()),
                                              note))));
                    }));
  }

  void ledger(io.vertx.ext.web.RoutingContext ctx) {
    calls.reply(
        ctx,
        200,
        () -> {
          int offset = ManagementCalls.offset(ctx);
          return calls
              .caller(ctx)
              .compose(
                  key ->
                      calls.blocking(
                          () -> {
                            List<Object> out = new ArrayList<>();
                            for (CreditEntry e :
                                services.storage().credits().ledger(offset, PAGE)) {
                              out.add(entry(e));
                            }
                            return Map.of("data", out);
                          }));
        });
  }

  static Map<String, Object> entry(CreditEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("amount", usd(e.amount()));
    m.put("created_at", KeysHandlers.timestamp(e.at()));
    m.put("actor", e.actor());
    m.put("note", e.note());
    return m;
  }

  /** USD for the wire: no trailing zeros; null stays null. */
  static BigDecimal usd(BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    return amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
  }
}
