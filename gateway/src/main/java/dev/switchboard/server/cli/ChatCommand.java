package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard chat}: one prompt (from the arguments or piped in), or a conversation when
 * standard input is a terminal, streamed to standard output as the tokens arrive. A spinner on
 * standard error covers the wait for the first token when standard error is a terminal; a line on
 * standard error ends each answer with the model, provider, tokens, cost and generation id.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chats with a model through the gateway, streaming the answer.",
      "The prompt comes from the arguments, else from standard input; with neither, and standard"
          + " input a terminal, each line you type is a turn of one conversation (Ctrl-D ends it)."
    })
public final class ChatCommand implements Callable<Integer> {

  /** When to show the spinner. */
  enum SpinnerMode {
    AUTO,
    ALWAYS,
    NEVER
  }

  @Spec CommandSpec spec;

  @Mixin GatewayOptions gateway;

  @Option(
      names = {"-m", "--model"},
      required = true,
      paramLabel = "MODEL",
      description = "The model, e.g. openai/gpt-5.2 (switchboard models list shows them).")
  String model;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description = "An inference key (default: SWITCHBOARD_API_KEY).")
  String key;

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message.")
  String system;

  @Option(names = "--max-tokens", paramLabel = "N", description = "Output token limit.")
  Integer maxTokens;

  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature.")
  BigDecimal temperature;

  @Option(names = "--no-stream", description = "Wait for the whole answer instead of streaming it.")
  boolean noStream;

  @Option(
      names = "--spinner",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "auto (when standard error is a terminal), always or never.")
  SpinnerMode spinner;

  @Parameters(arity = "0..*", paramLabel = "PROMPT", description = "The prompt.")
  List<String> prompt;

  /** Standard input; tests give their own. */
  InputStream stdin = System.in;

  /** Whether standard input is a person at a terminal; tests set it. */
  Boolean stdinIsTerminal;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String inferenceKey = GatewayOptions.first(key, gateway.env.get("SWITCHBOARD_API_KEY"));
    if (inferenceKey == null) {
      throw new CliException(
          "no inference key: pass --key or set SWITCHBOARD_API_KEY (a demo gateway takes"
              + " sk-sb-v1-demo)",
          2);
    }
    GatewayClient client =
        new GatewayClient(
            gateway.apiBase(),
            inferenceKey,
            "this needs an inference key: --key or SWITCHBOARD_API_KEY");
    ArrayNode messages = ApiJson.mapper().createArrayNode();
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    if (prompt != null && !prompt.isEmpty()) {
      turn(client, messages, String.join(" ", prompt), out, err);
      return 0;
    }
    boolean interactive =
        stdinIsTerminal != null ? stdinIsTerminal : Terminal.isTerminal(Terminal.STDIN);
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    try {
      if (!interactive) {
        StringBuilder all = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
          all.append(line).append('\n');
        }
        if (all.isEmpty() || all.toString().isBlank()) {
          throw new CliException("no prompt: give it as arguments or on standard input", 2);
        }
        turn(client, messages, all.toString().strip(), out, err);
        return 0;
      }
      err.println("Chatting with " + model + ". An empty line or Ctrl-D ends the conversation.");
      while (true) {
        err.print("> ");
        err.flush();
        String line = in.readLine();
        if (line == null || line.isBlank()) {
          return 0;
        }
        turn(client, messages, line, out, err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one user turn with the conversation so far, prints the answer, keeps it in history. */
  private void turn(
      GatewayClient client, ArrayNode messages, String text, PrintWriter out, PrintWriter err) {
    messages.addObject().put("role", "user").put("content", text);
    ObjectNode body = ApiJson.object().put("model", model);
    body.set("messages", messages);
    if (maxTokens != null) {
      body.put("max_tokens", maxTokens);
    }
    if (temperature != null) {
      body.put("temperature", temperature);
    }
    boolean showSpinner =
        spinner == SpinnerMode.ALWAYS
            || (spinner == SpinnerMode.AUTO && Terminal.isTerminal(Terminal.STDERR));
    Answer answer;
    Spinner spin = showSpinner ? Spinner.start(err, "waiting for " + model + "…") : null;
    try {
      answer = noStream ? whole(client, body, out) : streamed(client, body, out, spin);
    } finally {
      if (spin != null) {
        spin.stop();
      }
    }
    if (!answer.text.isEmpty() && !answer.text.toString().endsWith("\n")) {
      out.println();
    }
    out.flush();
    messages.addObject().put("role", "assistant").put("content", answer.text.toString());
    err.println(answer.summary());
    err.flush();
    if (answer.error != null) {
      throw new CliException("the answer ended with an error: " + answer.error);
    }
  }

  private Answer whole(GatewayClient client, ObjectNode body, PrintWriter out) {
    JsonNode r = client.send("POST", "chat/completions", body);
    Answer a = new Answer();
    a.meta(r);
    String content = r.path("choices").path(0).path("message").path("content").asText("");
    a.text.append(content);
    out.print(content);
    return a;
  }

  private Answer streamed(GatewayClient client, ObjectNode body, PrintWriter out, Spinner spin) {
    body.put("stream", true);
    HttpResponse<InputStream> r = client.stream("chat/completions", body);
    Answer a = new Answer();
    try (InputStream in = r.body()) {
      if (r.statusCode() >= 400) {
        throw client.failure("POST", "chat/completions", r.statusCode(), in.readAllBytes());
      }
      SseReader reader = SseReader.create(event -> a.onEvent(event, out, spin));
      byte[] buf = new byte[8192];
      for (int n; !a.done && (n = in.read(buf)) > 0; ) {
        reader.feed(buf, 0, n);
      }
      reader.finish();
    } catch (IOException e) {
      throw new CliException("the stream broke: " + e.getMessage());
    }
    if (!a.done && a.error == null) {
      a.error = "the stream ended without [DONE]";
    }
    return a;
  }

  /** What came back: the text, and what the closing line reports. */
  private static final class Answer {
    final StringBuilder text = new StringBuilder();
    String id;
    String model;
    String provider;
    JsonNode usage;
    String error;
    boolean done;

    void meta(JsonNode chunk) {
      id = chunk.path("id").asText(id);
      model = chunk.path("model").asText(model);
      provider = chunk.path("provider").asText(provider);
      if (chunk.path("usage").isObject()) {
        usage = chunk.path("usage");
      }
    }

    void onEvent(SseEvent event, PrintWriter out, Spinner spin) {
      if (event.isDone()) {
        done = true;
        return;
      }
      JsonNode chunk;
      try {
        chunk = ApiJson.tree(event.data());
      } catch (IOException e) {
        return;
      }
      meta(chunk);
      if (chunk.path("error").isObject()) {
        error = chunk.path("error").path("message").asText("unknown error");
      }
      JsonNode choice = chunk.path("choices").path(0);
      JsonNode delta = choice.path("delta");
      String content = delta.path("content").asText("");
      if (!content.isEmpty()) {
        if (spin != null) {
          spin.stop();
        }
        text.append(content);
        out.print(content);
        out.flush();
      } else if (spin != null && delta.path("reasoning").isTextual()) {
        spin.label("reasoning…");
      }
      if ("error".equals(choice.path("finish_reason").asText()) && error == null) {
        error = "finish_reason error";
      }
    }

    String summary() {
      StringBuilder s = new StringBuilder("[");
      s.append(model == null ? "?" : model);
      if (provider != null) {
        s.append(" via ").append(provider);
      }
      if (usage != null) {
        s.append(" · ")
            .append(usage.path("prompt_tokens").asLong())
            .append(" in, ")
            .append(usage.path("completion_tokens").asLong())
            .append(" out");
        if (usage.has("cost")) {
          s.append(" · ").append(Format.usd(usage.path("cost")));
        }
      }
      if (id != null) {
        s.append(" · ").append(id);
      }
      return s.append(']').toString();
    }
  }
}
