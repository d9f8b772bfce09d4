package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.provider.UpstreamResponse;
import dev.switchboard.server.inbound.ErrorEnvelope;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.Outcomes;
import dev.switchboard.server.routing.ServiceTiers;
import dev.switchboard.server.upstream.UpstreamStream;

/**
 * Reads a 2xx non-streamed body of one attempt: collects it, has the adapter decode it and reports
 * the answer to the {@link AttemptLauncher}, or the failure (a broken body, one the adapter cannot
 * read). What the answer tells of the endpoint's speed goes to the live stats as a {@link
 * Outcomes.Sample#whole}: its time to the response head and its tokens over the whole time.
 */
final class WholeBody {

  private final AttemptLauncher launcher;
  private final Attempt attempt;
  private final Candidate c;
  private final UpstreamStream stream;
  private final LlmRequest request;

  WholeBody(AttemptLauncher launcher, Attempt attempt, UpstreamStream stream, LlmRequest request) {
    this.launcher = launcher;
    this.request = request;
    this.attempt = attempt;
    this.c = attempt.candidate();
    this.stream = stream;
  }

  void read() {
    stream
        .collect()
        .onComplete(
            ar -> {
              if (!launcher.live(attempt)) {
                return;
              }
              if (ar.failed()) {
                launcher.failed(
                    attempt, ErrorEnvelope.from(ar.cause()).withProvider(c.providerName()), null);
                return;
              }
              UpstreamResponse r = ar.result();
              LlmResponse answer;
              try {
                answer =
                    ServiceTiers.reported(c.adapter().decode(r, c.target()), request, c.endpoint());
              } catch (GatewayException e) {
                launcher.failed(attempt, e.error(), r.status());
                return;
              } catch (RuntimeException e) {
                launcher.failed(attempt, AttemptLauncher.badStream(c, r.bodyText()), r.status());
                return;
              }
              long generationMs = (System.nanoTime() - attempt.startNanos()) / 1_000_000;
              long headMs = (stream.headNanos() - attempt.startNanos()) / 1_000_000;
              launcher.answered(
                  attempt,
                  Production.whole(answer),
                  Outcomes.Sample.whole(headMs, generationMs, answer.usage().completionTokens()));
            });
  }
}
