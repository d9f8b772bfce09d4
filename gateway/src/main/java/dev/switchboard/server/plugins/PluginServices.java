package dev.switchboard.server.plugins;

import dev.switchboard.core.media.AddressPolicy;
import dev.switchboard.core.media.MediaFetcher;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.config.PluginsConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway's own tools share across event loops, one per process: the search API client,
 * the page fetcher (with the media fetcher's address rules), the PDF parser and their pools.
 * Thread-safe; {@link #close()} stops the pools.
 */
public final class PluginServices implements AutoCloseable {

  final PluginsConfig config;
  final Clock clock;
  final Catalog catalog;
  final ExaSearch search;
  final PageFetcher pages;
  final PdfText pdf;
  final OcrClient ocr;
  private final HttpClient http;
  private final MediaFetcher pageFetcher;
  private final ExecutorService fetchPool;
  private final ExecutorService parsePool;

  private PluginServices(GatewayConfig gateway, Catalog catalog, Clock clock) {
    this.config = gateway.plugins();
    this.clock = clock;
    this.catalog = catalog;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(config.web().timeoutMs()))
            .build();
    this.search = new ExaSearch(config.web(), http);
    this.pageFetcher =
        MediaFetcher.create(
            MediaFetcher.Options.defaults()
                .withMaxBytes(config.webFetch().maxBytes())
                .withTimeout(Duration.ofMillis(config.webFetch().timeoutMs()))
                .withAddresses(
                    new AddressPolicy(
                        gateway.media().allowLoopback(), gateway.media().allowPrivate())));
    this.fetchPool = pool("switchboard-web-fetch", 8, 64);
    this.pages = new PageFetcher(pageFetcher, fetchPool, config.webFetch().maxChars());
    PluginsConfig.FileParserConfig fp = config.fileParser();
    this.parsePool = pool("switchboard-pdf", fp.threads(), 32);
    this.pdf = new PdfText(fp.maxBytes(), fp.maxPages(), fp.timeoutMs(), parsePool);
    this.ocr = new OcrClient(fp, http);
  }

  public static PluginServices create(GatewayConfig gateway, Catalog catalog, Clock clock) {
    return new PluginServices(gateway, catalog, clock);
  }

  private static ExecutorService pool(String name, int threads, int queue) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public void close() {
    fetchPool.shutdownNow();
    parsePool.shutdownNow();
    pageFetcher.close();
    http.close();
  }
}
