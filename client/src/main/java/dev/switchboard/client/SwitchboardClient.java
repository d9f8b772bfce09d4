package dev.switchboard.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.switchboard.api.generation.GenerationData;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.api.keys.ActivityRow;
import dev.switchboard.api.keys.Credits;
import dev.switchboard.api.keys.KeyInfo;
import dev.switchboard.api.models.ProviderEntry;
import dev.switchboard.client.internal.DotEnv;
import dev.switchboard.client.internal.HttpTransport;
import dev.switchboard.client.internal.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A client of the OpenRouter API, for openrouter.ai and for any Switchboard gateway. Immutable and
 * thread-safe; calls block the calling thread (virtual threads suit it well). Close it to release
 * its connections.
 *
 * <pre>{@code
 * try (SwitchboardClient client = SwitchboardClient.builder()
 *     .baseUrl("http://127.0.0.1:8080/api/v1")
 *     .apiKey("sk-sb-v1-demo")
 *     .build()) {
 *   String answer = client.chat().ask("fast", "Say hello");
 * }
 * }</pre>
 *
 * <p>The resources mirror the HTTP API: {@link #chat()} ({@code /chat/completions}), {@link
 * #models()} ({@code /models}, {@code /model}), {@link #providers()}, {@link #generation(String)},
 * {@link #key()}, {@link #keys()}, {@link #credits()} and {@link #activity()}. Failures are {@link
 * SwitchboardException}s.
 */
public final class SwitchboardClient implements AutoCloseable {

  /** This SDK's version, sent in {@code User-Agent}. */
  public static final String VERSION = "0.1.0";

  /** OpenRouter's API. */
  public static final String OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";

  private final Settings settings;
  private final HttpTransport transport;
  private final Requester requester;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final ChatApi chat;
  private final ModelsApi models;
  private final KeysApi keys;

  private SwitchboardClient(
      Settings settings, HttpTransport transport, Sleeper sleeper, DoubleSupplier random) {
    this.settings = settings;
    this.transport = transport;
    this.sleeper = sleeper;
    this.random = random;
    this.requester = new Requester(transport, settings.retryPolicy(), sleeper, random);
    this.chat = new ChatApi(this);
    this.models = new ModelsApi(requester);
    this.keys = new KeysApi(requester);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client configured from {@code OPENROUTER_API_KEY}, {@code OPENROUTER_BASE_URL}, {@code
   * OPENROUTER_REFERER} and {@code OPENROUTER_APP_NAME}, read from the environment and from a
   * {@code .env} file in the working directory (the environment wins).
   *
   * @throws IllegalStateException when no API key is set
   */
  public static SwitchboardClient fromEnv() {
    return builder().env(System.getenv(), Path.of(".env")).build();
  }

  /** A builder with this client's settings; the built client shares this one's connections. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.baseUrl = settings.baseUrl();
    b.apiKey = settings.apiKey();
    b.referer = settings.referer();
    b.appName = settings.appName();
    b.headers.putAll(settings.headers());
    b.connectTimeout = settings.connectTimeout();
    b.timeout = settings.timeout();
    b.streamIdleTimeout = settings.streamIdleTimeout();
    b.retryPolicy = settings.retryPolicy();
    b.aliases = settings.aliases();
    b.fallbackModels.addAll(settings.fallbackModels());
    b.defaultModel = settings.defaultModel();
    b.generationWait = settings.generationWait();
    b.httpClient = transport.client();
    b.sleeper = sleeper;
    b.random = random;
    return b;
  }

  /** {@code POST /chat/completions}: completions, streams, the simple {@code ask} calls. */
  public ChatApi chat() {
    return chat;
  }

  /** A tool loop builder: register Java functions as tools and let the model call them. */
  public ToolLoop.Builder toolLoop() {
    return ToolLoop.builder(this);
  }

  /** {@code /models}, {@code /model/{id}}, {@code /models/{id}/endpoints}. */
  public ModelsApi models() {
    return models;
  }

  /** {@code GET /providers}. */
  public List<ProviderEntry> providers() {
    return Requester.data(requester.call("GET", "/providers", null), listOf(ProviderEntry.class));
  }

  /** {@code GET /key}: the calling key's limit and usage. */
  public KeyInfo key() {
    return keys.current();
  }

  /** {@code /keys}: key management (needs a management key). */
  public KeysApi keys() {
    return keys;
  }

  /** {@code GET /credits}: credits bought and used (needs a management key on OpenRouter). */
  public Credits credits() {
    return Requester.data(requester.call("GET", "/credits", null), Credits.class);
  }

  /** {@code GET /activity}: usage per day, model and endpoint over the last 30 days. */
  public List<ActivityRow> activity() {
    return Requester.data(requester.call("GET", "/activity", null), listOf(ActivityRow.class));
  }

  /** {@code GET /activity?date=}: one UTC day of the last 30. */
  public List<ActivityRow> activity(LocalDate date) {
    return Requester.data(
        requester.call("GET", "/activity?date=" + date, null), listOf(ActivityRow.class));
  }

  /**
   * {@code GET /generation?id=}: the stored record of a generation. Right after a completion the
   * record may not exist yet; a 404 is retried for up to the configured generation wait (3 s by
   * default) before it is thrown.
   */
  public GenerationData generation(String id) {
    return generation(id, settings.generationWait());
  }

  /** {@link #generation(String)} with another wait for the record to appear. */
  public GenerationData generation(String id, Duration wait) {
    Checks.requireText(id, "generation id");
    String path = "/generation?id=" + Paths.query(id);
    long deadline = System.nanoTime() + wait.toNanos();
    long pauseMs = 100;
    while (true) {
      try {
        return Requester.data(requester.call("GET", path, null), GenerationData.class);
      } catch (NotFoundException e) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
          throw e;
        }
        try {
          sleeper.sleep(Duration.ofMillis(Math.min(pauseMs, remainingMs)));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pauseMs = Math.min(pauseMs * 2, 1_000);
      }
    }
  }

  /** The base URL requests go to, without a trailing slash. */
  public String baseUrl() {
    return settings.baseUrl();
  }

  public ModelAliases aliases() {
    return settings.aliases();
  }

  public RetryPolicy retryPolicy() {
    return settings.retryPolicy();
  }

  /** Client-side fallback models, tried in order after the request's own model fails. */
  public List<String> fallbackModels() {
    return settings.fallbackModels();
  }

  Settings settings() {
    return settings;
  }

  Requester requester() {
    return requester;
  }

  static JavaType listOf(Class<?> element) {
    return ApiJson.mapper().getTypeFactory().constructCollectionType(List.class, element);
  }

  /** Releases the connections (unless they are shared with the client this one was built from). */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    String key = settings.apiKey();
    String masked =
        key.length() <= 12 ? "***" : key.substring(0, 9) + "..." + key.substring(key.length() - 3);
    return "SwitchboardClient{baseUrl=" + settings.baseUrl() + ", apiKey=" + masked + "}";
  }

  /**
   * Builds a {@link SwitchboardClient}. Every setting has a default but the API key. Not
   * thread-safe.
   */
  public static final class Builder {
    private String baseUrl = OPENROUTER_BASE_URL;
    private String apiKey;
    private String referer;
    private String appName;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofMinutes(5);
    private Duration streamIdleTimeout = Duration.ofMinutes(3);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private ModelAliases aliases = ModelAliases.defaults();
    private final List<String> fallbackModels = new ArrayList<>();
    private String defaultModel;
    private Duration generationWait = Duration.ofSeconds(3);
    private HttpClient httpClient;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private DoubleSupplier random;

    private Builder() {}

    /** The API's base URL, {@code https://openrouter.ai/api/v1} by default. */
    public Builder baseUrl(String baseUrl) {
      Checks.requireText(baseUrl, "baseUrl");
      String trimmed = baseUrl.strip();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      URI uri;
      try {
        uri = URI.create(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl, e);
      }
      Checks.requireArgument(
          "http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
          "baseUrl must start with http:// or https://, was %s",
          baseUrl);
      this.baseUrl = trimmed;
      return this;
    }

    /** The API key, sent as {@code Authorization: Bearer <key>}. Required. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** Your app's URL, sent as {@code HTTP-Referer} (OpenRouter's app attribution). */
    public Builder referer(String referer) {
      this.referer = referer;
      return this;
    }

    /** Your app's name, sent as {@code X-Title}. */
    public Builder appName(String appName) {
      this.appName = appName;
      return this;
    }

    /** A header sent on every request. */
    public Builder header(String name, String value) {
      Checks.requireText(name, "header name");
      Checks.requireArgument(
          !name.equalsIgnoreCase("authorization"), "set the key with apiKey(), not a header");
      headers.put(name, value);
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      Checks.requireArgument(
          connectTimeout.isPositive(), "connectTimeout must be positive, was %s", connectTimeout);
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * The longest wait for an answer (5 minutes by default): the whole body of a completion, or the
     * head of a stream.
     */
    public Builder timeout(Duration timeout) {
      Checks.requireArgument(timeout.isPositive(), "timeout must be positive, was %s", timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * The longest silence inside a stream once its head has arrived (3 minutes by default): when
     * {@link ChatStream#next()} has waited this long without a byte (keep-alive comments count),
     * the stream is closed and {@code next()} throws a {@link RequestTimeoutException}. Time spent
     * between {@code next()} calls does not count. {@link Duration#ZERO} turns it off.
     */
    public Builder streamIdleTimeout(Duration streamIdleTimeout) {
      Checks.requireArgument(
          !streamIdleTimeout.isNegative(),
          "streamIdleTimeout must not be negative, was %s",
          streamIdleTimeout);
      this.streamIdleTimeout = streamIdleTimeout;
      return this;
    }

    /**
     * Retries with backoff ({@link RetryPolicy#defaults()}); {@link RetryPolicy#none()} for none.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = java.util.Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Model aliases ({@link ModelAliases#defaults()} unless set). */
    public Builder aliases(ModelAliases aliases) {
      this.aliases = java.util.Objects.requireNonNull(aliases, "aliases");
      return this;
    }

    /** Adds or replaces one alias. */
    public Builder alias(String alias, String model) {
      this.aliases = aliases.with(alias, model);
      return this;
    }

    /**
     * Client-side fallback models: when a chat call fails with a status worth another model (404,
     * 408, 429, 5xx, connection errors), after retries, these are tried in order. They come on top
     * of the server-side {@code models} list of a request.
     */
    public Builder fallbackModels(String... models) {
      fallbackModels.clear();
      for (String m : models) {
        fallbackModels.add(Checks.requireText(m, "fallback model"));
      }
      return this;
    }

    /** The model of requests that name none (and of {@code ask(prompt)}). */
    public Builder defaultModel(String model) {
      this.defaultModel = model;
      return this;
    }

    /** How long {@link SwitchboardClient#generation(String)} waits for a record (3 s). */
    public Builder generationWait(Duration wait) {
      Checks.requireArgument(!wait.isNegative(), "generationWait must not be negative");
      this.generationWait = wait;
      return this;
    }

    /** A JDK client to use (and not close), e.g. with a proxy or an executor of your own. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /**
     * Reads {@code OPENROUTER_API_KEY}, {@code OPENROUTER_BASE_URL}, {@code OPENROUTER_REFERER} and
     * {@code OPENROUTER_APP_NAME} from {@code environment}, falling back to {@code dotEnvFile} (a
     * {@code .env} file; ignored when it does not exist). Settings made after this call win.
     */
    public Builder env(Map<String, String> environment, Path dotEnvFile) {
      Map<String, String> merged = new LinkedHashMap<>(DotEnv.read(dotEnvFile));
      environment.forEach(
          (k, v) -> {
            if (v != null && !v.isBlank()) {
              merged.put(k, v);
            }
          });
      String key = merged.get("OPENROUTER_API_KEY");
      if (key != null && !key.isBlank()) {
        apiKey(key.strip());
      }
      String url = merged.get("OPENROUTER_BASE_URL");
      if (url != null && !url.isBlank()) {
        baseUrl(url);
      }
      String ref = merged.get("OPENROUTER_REFERER");
      if (ref != null && !ref.isBlank()) {
        referer(ref.strip());
      }
      String app = merged.get("OPENROUTER_APP_NAME");
      if (app != null && !app.isBlank()) {
        appName(app.strip());
      }
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    Builder random(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalStateException when no API key was given
     */
    public SwitchboardClient build() {
      Checks.requireState(
          apiKey != null && !apiKey.isBlank(),
          "no API key: set OPENROUTER_API_KEY (in the environment or a .env file) or call"
              + " apiKey(...) on the builder");
      Settings settings =
          new Settings(
              baseUrl,
              apiKey.strip(),
              referer,
              appName,
              headers,
              connectTimeout,
              timeout,
              streamIdleTimeout,
              retryPolicy,
              aliases,
              fallbackModels,
              defaultModel,
              generationWait);
      HttpTransport transport =
          HttpTransport.create(
              baseUrl,
              settings.apiKey(),
              settings.allHeaders(),
              connectTimeout,
              timeout,
              httpClient);
      return new SwitchboardClient(settings, transport, sleeper, random);
    }
  }
}
