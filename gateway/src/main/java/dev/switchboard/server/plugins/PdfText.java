package dev.switchboard.server.plugins;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF to text with Apache PDFBox (the {@code pdf-text} and {@code cloudflare-ai} engines), bounded
 * so hostile input cannot take the gateway down: a size limit before parsing, the parser's memory
 * held to a multiple of that, a page limit, a deadline checked at every page (a parse past it stops
 * at the next page and the request gets a 422 saying so), and a small pool of its own so parses
 * never run on an event loop and never take more than {@code threads} cores.
 */
final class PdfText {

  private final long maxBytes;
  private final int maxPages;
  private final long timeoutMs;
  private final ExecutorService pool;

  PdfText(long maxBytes, int maxPages, long timeoutMs, ExecutorService pool) {
    this.maxBytes = maxBytes;
    this.maxPages = maxPages;
    this.timeoutMs = timeoutMs;
    this.pool = pool;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The text of {@code pdf}, page by page, on the parser pool. */
  CompletableFuture<String> text(String name, byte[] pdf) {
    if (pdf.length > maxBytes) {
      return CompletableFuture.failedFuture(
          refuse(413, name, "is larger than the limit of " + maxBytes + " bytes"));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      return CompletableFuture.supplyAsync(() -> parse(name, pdf, deadline), pool)
          .orTimeout(timeoutMs + 1_000, TimeUnit.MILLISECONDS)
          .exceptionally(
              err -> {
                Throwable cause =
                    err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                if (cause instanceof GatewayException g) {
                  throw g;
                }
                if (cause instanceof java.util.concurrent.TimeoutException) {
                  throw tooSlow(name);
                }
                throw refuse(422, name, "could not be parsed");
              });
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new GatewayException(
              GatewayError.of(
                      FailureClass.GATEWAY_BUSY,
                      503,
                      "The gateway is parsing as many PDFs as it may; retry shortly")
                  .withRetryAfter(1)));
    }
  }

  String parse(String name, byte[] pdf, long deadline) {
    try (PDDocument doc =
        Loader.loadPDF(
            pdf,
            "",
            null,
            null,
            MemoryUsageSetting.setupMainMemoryOnly(maxBytes * 4).streamCache)) {
      if (doc.getNumberOfPages() > maxPages) {
        throw refuse(
            413, name, "has " + doc.getNumberOfPages() + " pages; the limit is " + maxPages);
      }
      PDFTextStripper stripper =
          new PDFTextStripper() {
            @Override
            protected void startPage(PDPage page) throws IOException {
              if (System.nanoTime() > deadline) {
                throw tooSlow(name);
              }
              super.startPage(page);
            }
          };
      stripper.setSortByPosition(true);
      return stripper.getText(doc).strip();
    } catch (GatewayException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw refuse(
          422, name, "could not be parsed as a PDF (" + e.getClass().getSimpleName() + ")");
    }
  }

  private GatewayException tooSlow(String name) {
    return refuse(422, name, "took longer than " + timeoutMs + " ms to parse");
  }

  static GatewayException refuse(int status, String name, String why) {
    return new GatewayException(
        GatewayError.of(
            status == 413 ? FailureClass.PAYLOAD_TOO_LARGE : FailureClass.INVALID_REQUEST,
            status,
            "The file \"" + name + "\" " + why));
  }
}
