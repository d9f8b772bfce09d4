package dev.switchboard.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InboundMatrixTest {

  private static InboundMatrix matrix(InboundMatrix.Outcome gemini) {
    InboundMatrix m =
        new InboundMatrix("responses", "POST /responses", List.of("openai", "gemini"));
    m.put("Text", "openai", new InboundMatrix.Cell(InboundMatrix.Outcome.PASS, null));
    m.put("Text", "gemini", new InboundMatrix.Cell(gemini, "why"));
    return m;
  }

  @Test
  void aTableIsAddedBelowTheHeadingThenReplacedInPlace() {
    String page = "# Provider compatibility matrix\n\n| a | b |\n";
    String once =
        matrix(InboundMatrix.Outcome.PASS)
            .merge(page, matrix(InboundMatrix.Outcome.PASS).markdown());
    assertThat(once).startsWith(page).contains(InboundMatrix.HEADING).contains("| Text | ✓ | ✓ |");
    InboundMatrix other = new InboundMatrix("embeddings", "POST /embeddings", List.of("openai"));
    other.put("Vectors", "openai", new InboundMatrix.Cell(InboundMatrix.Outcome.PASS, null));
    String twice = other.merge(once, other.markdown());
    InboundMatrix failing = matrix(InboundMatrix.Outcome.FAIL);
    String thrice = failing.merge(twice, failing.markdown());
    assertThat(thrice).contains("| Text | ✓ | **FAIL** |").doesNotContain("| Text | ✓ | ✓ |");
    assertThat(thrice).contains("| Vectors | ✓ |");
    assertThat(thrice.indexOf(InboundMatrix.HEADING))
        .isEqualTo(thrice.lastIndexOf(InboundMatrix.HEADING));
    assertThat(failing.failures()).containsExactly("Text / gemini: why");
    assertThat(InboundMatrix.tail(thrice)).startsWith("\n" + InboundMatrix.HEADING);
  }
}
