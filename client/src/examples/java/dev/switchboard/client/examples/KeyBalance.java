package dev.switchboard.client.examples;

import dev.switchboard.api.keys.Credits;
import dev.switchboard.api.keys.KeyInfo;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardException;
import java.io.PrintStream;

/** How much the key has spent, what is left, and the account's credits. */
public final class KeyBalance {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    KeyInfo key = client.key();
    out.printf(
        "key %s: used $%s today, $%s this month; limit %s, remaining %s%n",
        key.label(),
        key.usageDaily(),
        key.usageMonthly(),
        key.limit() == null ? "none" : "$" + key.limit(),
        key.limitRemaining() == null ? "unlimited" : "$" + key.limitRemaining());
    try {
      Credits credits = client.credits(); // OpenRouter: needs a management key
      out.printf(
          "credits: $%s bought, $%s used, $%s left%n",
          credits.totalCredits(), credits.totalUsage(), credits.balance());
    } catch (SwitchboardException e) {
      out.println("credits not available here (" + e.status() + ": " + e.getMessage() + ")");
    }
  }
}
