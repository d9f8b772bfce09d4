package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.FinishReason;
import dev.switchboard.core.model.Usage;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.server.metering.CostCalculator;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.StickyRoutes;
import dev.switchboard.server.storage.Storage;

/**
 * Stage 8, settle, once per request however it ended: meters what the serving attempt produced
 * (reported usage, else an estimate; the endpoint's price; the zero-completion rule), remembers a
 * sticky route after an answer, writes the generation record (behind the request path), and settles
 * the admission's reservation with the bill, which books the exact cost against the key, the
 * organisation and every budget at once (nothing when nothing was produced, or the request was
 * refused before its attempts: the hold goes back whole). The key is charged there and only there.
 *
 * <table>
 *   <caption>What each ending is billed</caption>
 *   <tr><th>Ending</th><th>Billed</th></tr>
 *   <tr><td>answered</td><td>its usage; nothing for model tokens when it ended in error or gave no
 *       completion and no finish reason (checklist 149)</td></tr>
 *   <tr><td>failed after output reached the client</td><td>the request fee only</td></tr>
 *   <tr><td>client gone after output reached it</td><td>the output produced so far</td></tr>
 *   <tr><td>anything before output reached the client; refused</td><td>nothing</td></tr>
 * </table>
 */
final class Settle {

  private static final GatewayError CLIENT_CLOSED =
      GatewayError.of(FailureClass.CLIENT_CLOSED, 499, "Client closed the connection");

  private final GenerationRecorder recorder;
  private final StickyRoutes sticky;
  private final Storage storage;

  Settle(GenerationRecorder recorder, StickyRoutes sticky, Storage storage) {
    this.recorder = recorder;
    this.sticky = sticky;
    this.storage = storage;
  }

  void run(Exchange ex) {
    // The record and the charges the settlement books are written in one transaction.
    storage.together(() -> settle(ex));
  }

  private void settle(Exchange ex) {
    Bill bill = Bill.NONE;
    try {
      bill = ex.generationStarted() ? meterAndRecord(ex) : Bill.NONE;
      ex.bill(bill);
    } finally {
      // Exactly once, whatever happened above: a hold must never outlive its request.
      ex.reservation().settle(bill);
    }
  }

  /** A response-cache hit: its own generation record, nothing metered or charged. */
  void cacheHit(Exchange ex, Replay hit) {
    recorder.recordCacheHit(ex, hit);
  }

  private Bill meterAndRecord(Exchange ex) {
    boolean streamed = ex.streamed();
    switch (ex.ending()) {
      case Ending.Answered a -> {
        Production p = a.production();
        Usage last = p.usage(ex.request());
        boolean noCharge =
            p.finish() == FinishReason.ERROR
                || (last.completionTokens() == 0 && p.finish() == null);
        Cost cost = withRoundsAndFees(ex, CostCalculator.cost(pricing(a.served()), last, noCharge));
        Usage usage = withRounds(ex, last);
        sticky.answered(
            ex.plan(), ex.key().hash(), a.served().candidate(), usage.cachedTokens() > 0);
        recorder.record(
            ex,
            a.served().candidate(),
            GenerationRecorder.Outcome.success(
                p.upstreamId(),
                p.finish(),
                p.nativeFinish(),
                usage,
                cost,
                streamed,
                false,
                a.served().latencyMs()));
        return new Bill(usage, cost);
      }
      case Ending.Failed f -> {
        return partial(ex, f.error(), f.served(), f.production(), streamed, false);
      }
      case Ending.ClientGone g -> {
        return partial(ex, CLIENT_CLOSED, g.served(), g.production(), streamed, true);
      }
      case Ending.Refused r -> {
        return Bill.NONE; // never reaches here: a refused request has no generation
      }
    }
  }

  /**
   * A request without a complete answer. With output at the client, it pays for that output when
   * the client left, and only the request fee when the upstream failed.
   */
  private Bill partial(
      Exchange ex,
      GatewayError error,
      Attempt served,
      Production p,
      boolean streamed,
      boolean cancelled) {
    if (served == null) {
      recorder.record(ex, null, GenerationRecorder.Outcome.failure(error, streamed, cancelled));
      return Bill.NONE;
    }
    Usage usage = withRounds(ex, p.usage(ex.request()));
    Cost cost =
        withRoundsAndFees(
            ex, CostCalculator.cost(pricing(served), p.usage(ex.request()), !cancelled));
    recorder.record(
        ex,
        served.candidate(),
        GenerationRecorder.Outcome.partial(
            p.upstreamId(), error, usage, cost, streamed, cancelled));
    return new Bill(usage, cost);
  }

  /**
   * The usage of every round of the server-tool loop (the rounds before the last one, then {@code
   * last}), with what the server tools did.
   */
  private static Usage withRounds(Exchange ex, Usage last) {
    Usage total = last;
    for (Exchange.Round r : ex.rounds()) {
      total = total.plus(r.usage());
    }
    return total.withServerTools(ex.serverToolUse());
  }

  /** {@code last} plus the earlier rounds' cost and the request's fees (web search, OCR). */
  private static Cost withRoundsAndFees(Exchange ex, Cost last) {
    java.math.BigDecimal prompt = last.prompt();
    java.math.BigDecimal completion = last.completion();
    java.math.BigDecimal total = last.total();
    for (Exchange.Round r : ex.rounds()) {
      prompt = prompt.add(r.cost().prompt());
      completion = completion.add(r.cost().completion());
      total = total.add(r.cost().total());
    }
    for (Exchange.Fee fee : ex.fees()) {
      total = total.add(fee.usd());
    }
    return new Cost(
        prompt.stripTrailingZeros(),
        completion.stripTrailingZeros(),
        total.stripTrailingZeros(),
        last.cacheWrite());
  }

  private static dev.switchboard.server.catalog.Pricing pricing(Attempt served) {
    return served.candidate().endpoint().pricing();
  }
}
