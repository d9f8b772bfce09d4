package dev.switchboard.server.config;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code plugins} section: what the gateway's own tools need (the web search API, the page
 * fetcher, the PDF parser and its OCR slot, the server-tool loop's bound). Every key is optional.
 *
 * @param web the {@code web} plugin and the {@code openrouter:web_search} server tool
 * @param webFetch the {@code openrouter:web_fetch} server tool
 * @param fileParser the {@code file-parser} plugin
 * @param serverTools the gateway's tool loop
 */
public record PluginsConfig(
    WebConfig web,
    WebFetchConfig webFetch,
    FileParserConfig fileParser,
    ServerToolsConfig serverTools) {

  public static final PluginsConfig DEFAULT =
      new PluginsConfig(
          WebConfig.DEFAULT,
          WebFetchConfig.DEFAULT,
          FileParserConfig.DEFAULT,
          ServerToolsConfig.DEFAULT);

  public PluginsConfig {
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(webFetch, "webFetch");
    Objects.requireNonNull(fileParser, "fileParser");
    Objects.requireNonNull(serverTools, "serverTools");
  }

  /** These settings with another {@code web} part. */
  public PluginsConfig withWeb(WebConfig other) {
    return new PluginsConfig(other, webFetch, fileParser, serverTools);
  }

  /** These settings with another {@code file-parser} part. */
  public PluginsConfig withFileParser(FileParserConfig other) {
    return new PluginsConfig(web, webFetch, other, serverTools);
  }

  /**
   * Web search through an Exa-compatible API ({@code POST <exaBaseUrl>/search} with {@code
   * x-api-key}), each result priced at {@code pricePerResult} USD (OpenRouter's Exa price, $4 per
   * 1,000 results, by default).
   *
   * @param exaBaseUrl the search API's base URL; null: web search is not configured (a request that
   *     needs it gets a 503 that says so)
   * @param exaApiKey its key, or null
   * @param timeoutMs the most one search may take
   * @param pricePerResult USD per result returned
   */
  public record WebConfig(
      String exaBaseUrl, String exaApiKey, long timeoutMs, BigDecimal pricePerResult) {

    public static final WebConfig DEFAULT =
        new WebConfig(null, null, 10_000, new BigDecimal("0.004"));

    public WebConfig {
      Objects.requireNonNull(pricePerResult, "pricePerResult");
    }

    public boolean configured() {
      return exaBaseUrl != null && !exaBaseUrl.isBlank();
    }

    public WebConfig withExa(String baseUrl, String apiKey) {
      return new WebConfig(baseUrl, apiKey, timeoutMs, pricePerResult);
    }

    @Override
    public String toString() {
      return "WebConfig[exaBaseUrl="
          + exaBaseUrl
          + ", exaApiKey="
          + (exaApiKey == null || exaApiKey.isEmpty() ? "none" : "***")
          + ", timeoutMs="
          + timeoutMs
          + ", pricePerResult="
          + pricePerResult.toPlainString()
          + "]";
    }
  }

  /**
   * The page fetcher of {@code openrouter:web_fetch}: the same address rules as media fetches
   * ({@code media.allow-loopback}, {@code media.allow-private}), its own size and time limits, and
   * at most {@code maxChars} characters of page text handed to the model.
   */
  public record WebFetchConfig(long maxBytes, long timeoutMs, int maxChars) {
    public static final WebFetchConfig DEFAULT =
        new WebFetchConfig(2L * 1024 * 1024, 10_000, 20_000);
  }

  /**
   * The {@code file-parser} plugin: PDFs larger than {@code maxBytes} or with more than {@code
   * maxPages} pages are refused, and a parse must finish within {@code timeoutMs}; at most {@code
   * threads} parses run at once. {@code ocrUrl} (with {@code ocrApiKey}) is the OCR engine's
   * endpoint ({@code mistral-ocr}); null: OCR is not configured and a request for it gets a 503
   * that says so.
   */
  public record FileParserConfig(
      long maxBytes, int maxPages, long timeoutMs, int threads, String ocrUrl, String ocrApiKey) {
    public static final FileParserConfig DEFAULT =
        new FileParserConfig(20L * 1024 * 1024, 500, 20_000, 2, null, null);

    @Override
    public String toString() {
      return "FileParserConfig[maxBytes="
          + maxBytes
          + ", maxPages="
          + maxPages
          + ", timeoutMs="
          + timeoutMs
          + ", threads="
          + threads
          + ", ocrUrl="
          + ocrUrl
          + ", ocrApiKey="
          + (ocrApiKey == null || ocrApiKey.isEmpty() ? "none" : "***")
          + "]";
    }
  }

  /**
   * The gateway's server-tool loop: at most {@code maxRounds} model calls per request (the last one
   * is asked to answer without tools), whatever a request's {@code max_tool_calls} says.
   */
  public record ServerToolsConfig(int maxRounds) {
    public static final ServerToolsConfig DEFAULT = new ServerToolsConfig(5);
  }

  static final Set<String> KEYS = Set.of("web", "web-fetch", "file-parser", "server-tools");

  /** Reads the section; environment variables win for the credentials. */
  static PluginsConfig read(ConfigNode p, java.util.Map<String, String> env) {
    p.allowOnly(KEYS);
    ConfigNode w =
        p.child("web")
            .allowOnly(Set.of("exa-base-url", "exa-api-key", "timeout-ms", "price-per-result"));
    BigDecimal price = w.decimal("price-per-result");
    WebConfig web =
        new WebConfig(
            first(env.get("SWITCHBOARD_EXA_BASE_URL"), w.string("exa-base-url", null)),
            first(env.get("SWITCHBOARD_EXA_API_KEY"), w.string("exa-api-key", null)),
            w.number("timeout-ms", 10_000, 100, 600_000),
            price == null ? WebConfig.DEFAULT.pricePerResult() : price);
    ConfigNode f = p.child("web-fetch").allowOnly(Set.of("max-bytes", "timeout-ms", "max-chars"));
    WebFetchConfig fetch =
        new WebFetchConfig(
            f.number("max-bytes", 2L * 1024 * 1024, 1024, 1L << 30),
            f.number("timeout-ms", 10_000, 100, 600_000),
            f.integer("max-chars", 20_000, 100, 10_000_000));
    ConfigNode fp =
        p.child("file-parser")
            .allowOnly(
                Set.of(
                    "max-bytes", "max-pages", "timeout-ms", "threads", "ocr-url", "ocr-api-key"));
    FileParserConfig parser =
        new FileParserConfig(
            fp.number("max-bytes", 20L * 1024 * 1024, 1024, 1L << 30),
            fp.integer("max-pages", 500, 1, 100_000),
            fp.number("timeout-ms", 20_000, 100, 600_000),
            fp.integer("threads", 2, 1, 64),
            fp.string("ocr-url", null),
            first(env.get("SWITCHBOARD_OCR_API_KEY"), fp.string("ocr-api-key", null)));
    ConfigNode st = p.child("server-tools").allowOnly(Set.of("max-rounds"));
    ServerToolsConfig tools = new ServerToolsConfig(st.integer("max-rounds", 5, 1, 31));
    return new PluginsConfig(web, fetch, parser, tools);
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
