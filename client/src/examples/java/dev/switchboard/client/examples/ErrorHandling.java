package dev.switchboard.client.examples;

import dev.switchboard.client.AuthenticationException;
import dev.switchboard.client.BadRequestException;
import dev.switchboard.client.Chat;
import dev.switchboard.client.NoProviderAvailableException;
import dev.switchboard.client.ProviderException;
import dev.switchboard.client.RateLimitedException;
import dev.switchboard.client.RetryPolicy;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import java.io.PrintStream;
import java.time.Duration;

/** Typed errors, and retries with exponential backoff that honour Retry-After. */
public final class ErrorHandling {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    // Retries: 408, 429, 502, 503 and connection errors, never 400/401/402/403.
    RetryPolicy patient =
        RetryPolicy.defaults()
            .withMaxRetries(4)
            .withBackoff(Duration.ofMillis(250), Duration.ofSeconds(10))
            .withMaxRetryAfter(Duration.ofSeconds(30));

    try (SwitchboardClient retrying = client.toBuilder().retryPolicy(patient).build()) {
      out.println(retrying.chat().ask("cheap", "Say OK"));
    } catch (RateLimitedException e) {
      out.println("still rate limited; retry after " + e.retryAfter().orElse(null));
    } catch (ProviderException | NoProviderAvailableException e) {
      out.println("providers failing: " + e.providerName().orElse("?") + " " + e.raw().orElse(""));
    }

    try {
      client.chat().create(Chat.request("acme/no-such-model").user("hi").build());
    } catch (BadRequestException e) {
      out.println("400: " + e.getMessage());
    }

    try (SwitchboardClient wrongKey = client.toBuilder().apiKey("sk-not-a-real-key").build()) {
      wrongKey.chat().ask("cheap", "hi");
    } catch (AuthenticationException e) {
      out.println("401: " + e.getMessage());
    } catch (SwitchboardException e) {
      out.println(e.status() + ": " + e.getMessage());
    }
  }
}
