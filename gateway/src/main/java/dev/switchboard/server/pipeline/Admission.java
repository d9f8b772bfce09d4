package dev.switchboard.server.pipeline;

import java.util.concurrent.CompletionStage;

/**
 * Stage 3, admit: decides whether an authenticated, decoded request may go on, before anything is
 * planned or spent: limits, rate limits and credit. It either refuses (the stage completes with a
 * {@link dev.switchboard.core.error.GatewayException}: 402, 403, 429 in OpenRouter's envelope) or
 * admits with a {@link Reservation} that the settle stage settles exactly once, whatever happens
 * after. The gateway's is {@link LimitsAdmission}, on the limits service.
 *
 * <p>Runs on the request's event loop and must not block it: keep the hot path in memory, or
 * complete the stage later from elsewhere (the pipeline resumes on the event loop).
 */
public interface Admission {

  CompletionStage<Reservation> admit(Exchange ex);
}
