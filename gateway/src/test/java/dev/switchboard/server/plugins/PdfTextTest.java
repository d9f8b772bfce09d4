package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.GatewayException;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** PDF text with its bounds: size, pages, time. Prints the parse rate (ADR 0008). */
class PdfTextTest {

  static final ExecutorService POOL = Executors.newFixedThreadPool(1);

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  static byte[] pdf(int pages) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      for (int p = 0; p < pages; p++) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
          s.beginText();
          s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 10);
          s.newLineAtOffset(72, 720);
          for (int line = 0; line < 40; line++) {
            s.showText("Page " + (p + 1) + " line " + line + " of the quarterly report text.");
            s.newLineAtOffset(0, -14);
          }
          s.endText();
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void extractsTextAndReportsItsRate() throws Exception {
    byte[] doc = pdf(200);
    PdfText parser = new PdfText(20L * 1024 * 1024, 500, 60_000, POOL);
    long start = System.nanoTime();
    String text = parser.text("r.pdf", doc).join();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(text).contains("Page 1 line 0").contains("Page 200 line 39");
    System.out.printf("PdfTextTest: 200 pages, %d bytes, parsed in %d ms%n", doc.length, ms);
  }

  @Test
  void refusesTooManyPagesTooManyBytesAndTooMuchTime() throws Exception {
    byte[] doc = pdf(30);
    assertThatThrownBy(() -> new PdfText(1L << 24, 10, 60_000, POOL).text("a.pdf", doc).join())
        .hasCauseInstanceOf(GatewayException.class)
        .hasMessageContaining("30 pages; the limit is 10");
    assertThatThrownBy(() -> new PdfText(1024, 10, 60_000, POOL).text("b.pdf", doc).join())
        .hasMessageContaining("larger than the limit of 1024 bytes");
    // A deadline already passed stops the parse at its first page.
    PdfText slow = new PdfText(1L << 24, 500, 0, POOL);
    assertThatThrownBy(() -> slow.parse("c.pdf", doc, System.nanoTime() - 1))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("to parse");
  }

  @Test
  void garbageIsAClearRefusal() {
    assertThatThrownBy(
            () ->
                new PdfText(1L << 24, 500, 60_000, POOL)
                    .text("x.pdf", "%PDF-1.7 then nothing".getBytes())
                    .join())
        .hasMessageContaining("could not be parsed as a PDF");
  }
}
