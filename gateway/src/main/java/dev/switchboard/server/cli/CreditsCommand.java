package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard credits}: the organisation's balance ({@code GET /credits}) and funding it
 * ({@code POST /credits} with {@code {"amount", "note"}}, docs/limits.md). A gateway built without
 * the credits API says so.
 */
@Command(
    name = "credits",
    mixinStandardHelpOptions = true,
    description = "The credit balance, and adding credits.",
    subcommands = {CreditsCommand.Show.class, CreditsCommand.Add.class})
public final class CreditsCommand {

  private CreditsCommand() {}

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows credits bought, credits used and the balance.")
  static final class Show extends ManagementCommand {

    @Override
    void run() {
      printBalance(this, client().get("credits").path("data"));
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Books credits (USD) with a note for the ledger. A negative amount corrects a mistake;"
            + " rows are never changed."
      })
  static final class Add extends ManagementCommand {

    @Parameters(paramLabel = "USD", description = "The amount, e.g. 100 or 12.50.")
    BigDecimal amount;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why (an invoice number...).")
    String note;

    @Override
    void run() {
      if (amount.signum() == 0) {
        throw new CliException("the amount must not be zero", 2);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("amount", amount);
      if (note != null) {
        body.put("note", note);
      }
      GatewayClient c = client();
      JsonNode entry = c.send("POST", "credits", body).path("data");
      out()
          .println(
              "Booked "
                  + Format.usd(entry.path("amount"))
                  + " (ledger entry "
                  + Format.text(entry.path("id"))
                  + ", by "
                  + Format.text(entry.path("actor"))
                  + ").");
      printBalance(this, c.get("credits").path("data"));
    }
  }

  private static void printBalance(ManagementCommand cmd, JsonNode credits) {
    BigDecimal bought = Format.decimal(credits.path("total_credits"));
    BigDecimal used = Format.decimal(credits.path("total_usage"));
    Table t = new Table("", ">USD");
    t.row("credits", bought == null ? "none bought" : Format.usd(bought));
    t.row("used", Format.usd(used));
    t.row(
        "balance",
        bought == null || used == null ? "no balance kept" : Format.usd(bought.subtract(used)));
    t.print(cmd.out());
  }
}
