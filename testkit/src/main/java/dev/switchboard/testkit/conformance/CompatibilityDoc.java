package dev.switchboard.testkit.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code docs/providers/compatibility.md} from every adapter's result file ({@code
 * <module>/target/conformance/<adapter>.jsonl}): scenarios down, adapters across, then the reasons
 * behind every refusal and skip. The output depends only on the results (no dates), so running the
 * tests again gives the same page.
 *
 * <p>The page lists its adapters in a marker comment. It is rewritten only when every adapter
 * listed there has results (a run of one module must not drop another's column); a new adapter's
 * column appears as soon as its results exist. Remove an adapter from the marker to drop it.
 */
public final class CompatibilityDoc {

  /** The page, relative to the repository root. */
  public static final Path PAGE = Path.of("docs", "providers", "compatibility.md");

  private static final Pattern MARKER = Pattern.compile("<!-- adapters: ([^>]*) -->");

  private CompatibilityDoc() {}

  /** Renders the page for the repository at {@code args[0]} (default: found from here). */
  public static void main(String[] args) {
    Path root = args.length > 0 ? Path.of(args[0]) : repoRoot(Path.of("").toAbsolutePath());
    if (!render(root)) {
      throw new IllegalStateException(
          "Not every adapter named in " + PAGE + " has results under */target/conformance/");
    }
  }

  /**
   * Rewrites the page from the results found under {@code root}; false when some are missing. An
   * inbound API's table with no results under {@code root} is kept as the page has it.
   */
  public static boolean render(Path root) {
    Map<String, Map<Scenario, ScenarioResult>> results = read(root);
    Path page = root.resolve(PAGE);
    Set<String> listed = listedAdapters(page);
    if (!results.keySet().containsAll(listed)) {
      return false;
    }
    Map<String, String> inbound = new TreeMap<>(inboundSections(page));
    readInbound(root).forEach((api, rows) -> inbound.put(api, inboundMarkdown(api, rows)));
    StringBuilder out = new StringBuilder(markdown(results));
    inbound.values().forEach(out::append);
    write(page, out.toString());
    return true;
  }

  private static final String INBOUND_MARK = "<!-- inbound: ";

  /**
   * One inbound API's table: scenarios down, upstream dialects across, then the notes. It starts
   * with a marker comment naming the API, so a later run without its results can keep it.
   */
  static String inboundMarkdown(String api, List<InboundResult> rows) {
    List<String> upstreams =
        new ArrayList<>(new TreeSet<>(rows.stream().map(InboundResult::upstream).toList()));
    Map<String, String> titles = new java.util.LinkedHashMap<>();
    Map<String, InboundResult> cells = new java.util.HashMap<>();
    for (InboundResult r : rows) {
      titles.putIfAbsent(r.scenario(), r.title());
      cells.put(r.scenario() + "\u0000" + r.upstream(), r);
    }
    StringBuilder out = new StringBuilder(2048);
    out.append('\n').append(INBOUND_MARK).append(api).append(" -->\n");
    out.append("## Inbound API: /").append(api).append("\n\n");
    out.append(
        """
        Requests in this API's own format go through the gateway in demo mode (every stage of the \
        pipeline) to a model whose upstream speaks each dialect, and the answer is checked in the \
        client's format (`gateway`, `%sConformanceIT`).

        """
            .formatted(Character.toUpperCase(api.charAt(0)) + api.substring(1)));
    out.append("| Scenario |");
    upstreams.forEach(u -> out.append(' ').append(u).append(" |"));
    out.append("\n|---|");
    upstreams.forEach(u -> out.append(":---:|"));
    out.append('\n');
    List<String> notes = new ArrayList<>();
    titles.forEach(
        (scenario, title) -> {
          out.append("| ").append(title.replace("|", "\\|")).append(" |");
          for (String u : upstreams) {
            InboundResult r = cells.get(scenario + "\u0000" + u);
            out.append(' ').append(r == null ? "?" : cell(r.outcome())).append(" |");
            if (r != null && r.outcome() != ScenarioResult.Outcome.PASS && r.detail() != null) {
              notes.add(
                  "* "
                      + cell(r.outcome())
                      + " "
                      + title
                      + " ("
                      + u
                      + "): "
                      + r.detail().replace("\n", " "));
            }
          }
          out.append('\n');
        });
    if (!notes.isEmpty()) {
      out.append("\n### Notes (/").append(api).append(")\n\n");
      notes.forEach(n -> out.append(n).append('\n'));
    }
    return out.toString();
  }

  /** The inbound tables of the current page, by API, as written. */
  static Map<String, String> inboundSections(Path page) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(page)) {
      return out;
    }
    String text;
    try {
      text = Files.readString(page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int at = text.indexOf(INBOUND_MARK);
    while (at >= 0) {
      int next = text.indexOf(INBOUND_MARK, at + 1);
      int nameEnd = text.indexOf(" -->", at);
      String api = text.substring(at + INBOUND_MARK.length(), nameEnd).trim();
      String section = text.substring(at, next < 0 ? text.length() : next);
      out.put(api, "\n" + section.stripTrailing() + "\n");
      at = next;
    }
    return out;
  }

  /** Every inbound API's newest result file under {@code root}, read. */
  static Map<String, List<InboundResult>> readInbound(Path root) {
    Map<String, Path> newest = new TreeMap<>();
    for (Path file : resultFiles(root, true)) {
      String name = file.getFileName().toString();
      String api = name.substring(0, name.length() - ".jsonl".length());
      Path seen = newest.get(api);
      if (seen == null || modified(file) > modified(seen)) {
        newest.put(api, file);
      }
    }
    Map<String, List<InboundResult>> out = new TreeMap<>();
    newest.forEach(
        (api, file) -> {
          List<InboundResult> rows = new ArrayList<>();
          try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
              if (!line.isBlank()) {
                rows.add(InboundResult.fromJson(ApiJson.tree(line)));
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
          }
          out.put(api, rows);
        });
    return out;
  }

  /** The page for these results. */
  static String markdown(Map<String, Map<Scenario, ScenarioResult>> results) {
    List<String> adapters = new ArrayList<>(new TreeSet<>(results.keySet()));
    StringBuilder out = new StringBuilder(4096);
    out.append("# Provider compatibility matrix\n\n");
    out.append("<!-- Generated by dev.switchboard.testkit.conformance.CompatibilityDoc from the")
        .append(" conformance test results. Do not edit by hand. -->\n");
    out.append("<!-- adapters: ").append(String.join(" ", adapters)).append(" -->\n\n");
    StringBuilder modules = new StringBuilder("testkit");
    adapters.forEach(a -> modules.append(",providers/").append(a));
    out.append(
        """
        Every adapter runs every scenario below offline: an OpenAI-format client request goes \
        through the adapter and a plain JDK HTTP client to the in-process simulator, speaking the \
        adapter's own dialect, and the canonical answer is checked (`testkit`, package \
        `dev.switchboard.testkit.conformance`; each adapter's `XxxConformanceTest` declares what \
        it supports).

        **Regenerate** with `./mvnw -pl %s verify`: each conformance test writes \
        `target/conformance/<adapter>.jsonl` in its module and the last one to finish rewrites \
        this page (`CompatibilityDoc.main` renders it from existing result files). The page is \
        only rewritten when every adapter named in its `adapters` marker has results.

        ✓ passes · ✗ refused cleanly (`INVALID_REQUEST` from `encode`, nothing sent) · \
        — not applicable (not run) · **FAIL** a check failed

        """
            .formatted(modules));
    out.append("| Scenario |");
    adapters.forEach(a -> out.append(' ').append(a).append(" |"));
    out.append("\n|---|");
    adapters.forEach(a -> out.append(":---:|"));
    out.append('\n');
    for (Scenario scenario : Scenario.values()) {
      out.append("| ").append(scenario.title().replace("|", "\\|")).append(" |");
      for (String adapter : adapters) {
        ScenarioResult result = results.get(adapter).get(scenario);
        out.append(' ').append(result == null ? "?" : cell(result.outcome())).append(" |");
      }
      out.append('\n');
    }
    out.append("\n## Notes\n");
    for (String adapter : adapters) {
      List<String> notes = new ArrayList<>();
      for (ScenarioResult result : results.get(adapter).values()) {
        if (result.outcome() != ScenarioResult.Outcome.PASS && result.detail() != null) {
          notes.add(
              "* "
                  + cell(result.outcome())
                  + " "
                  + result.scenario().title()
                  + ": "
                  + result.detail().replace("\n", " "));
        }
      }
      out.append("\n### ").append(adapter).append("\n\n");
      if (notes.isEmpty()) {
        out.append("Every scenario passes.\n");
      } else {
        notes.forEach(n -> out.append(n).append('\n'));
      }
    }
    return out.toString();
  }

  private static String cell(ScenarioResult.Outcome outcome) {
    return switch (outcome) {
      case PASS -> "✓";
      case REJECTED -> "✗";
      case NOT_APPLICABLE -> "—";
      case FAIL -> "**FAIL**";
    };
  }

  /** Every adapter's newest result file under {@code root}, read. */
  static Map<String, Map<Scenario, ScenarioResult>> read(Path root) {
    Map<String, Path> newest = new TreeMap<>();
    for (Path file : resultFiles(root)) {
      String name = file.getFileName().toString();
      String adapter = name.substring(0, name.length() - ".jsonl".length());
      Path seen = newest.get(adapter);
      if (seen == null || modified(file) > modified(seen)) {
        newest.put(adapter, file);
      }
    }
    Map<String, Map<Scenario, ScenarioResult>> out = new TreeMap<>();
    newest.forEach(
        (adapter, file) -> {
          Map<Scenario, ScenarioResult> rows = new EnumMap<>(Scenario.class);
          try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
              if (line.isBlank()) {
                continue;
              }
              JsonNode json = ApiJson.tree(line);
              ScenarioResult result = ScenarioResult.fromJson(json);
              if (result != null) {
                rows.put(result.scenario(), result);
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
          }
          out.put(adapter, rows);
        });
    return out;
  }

  /** {@code *.jsonl} files in {@code target/conformance} folders, at most five levels down. */
  static List<Path> resultFiles(Path root) {
    return resultFiles(root, false);
  }

  /**
   * Adapter results ({@code target/conformance/*.jsonl}) or, with {@code inbound}, inbound API
   * results ({@code target/conformance/inbound/*.jsonl}).
   */
  static List<Path> resultFiles(Path root, boolean inbound) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          Set.of(),
          6,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
              return name.startsWith(".") && !dir.equals(root) || name.equals("src")
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              Path parent = file.getParent();
              if (inbound) {
                parent =
                    parent.getFileName().toString().equals("inbound") ? parent.getParent() : null;
              }
              if (file.toString().endsWith(".jsonl")
                  && parent != null
                  && parent.getParent() != null
                  && parent.getFileName().toString().equals("conformance")
                  && parent.getParent().getFileName().toString().equals("target")) {
                files.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** The adapters the current page names, or none when there is no page yet. */
  static Set<String> listedAdapters(Path page) {
    if (!Files.exists(page)) {
      return Set.of();
    }
    try {
      Matcher m = MARKER.matcher(Files.readString(page, StandardCharsets.UTF_8));
      return m.find() ? new TreeSet<>(List.of(m.group(1).trim().split("\\s+"))) : Set.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root: the nearest folder up from {@code from} with {@code mvnw} and docs. */
  public static Path repoRoot(Path from) {
    for (Path dir = from.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException("No repository root (mvnw and docs/) above " + from);
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The inbound tables ({@link InboundMatrix}) the page already holds: gateway tests write them, so
   * the adapter matrix's rewrite keeps them as they are.
   */
  private static void write(Path page, String content) {
    try {
      Files.createDirectories(page.getParent());
      if (Files.exists(page) && Files.readString(page, StandardCharsets.UTF_8).equals(content)) {
        return;
      }
      Files.writeString(page, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + page, e);
    }
  }
}
