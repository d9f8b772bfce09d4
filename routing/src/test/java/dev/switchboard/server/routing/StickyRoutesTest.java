package dev.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sticky routes shared in a cluster: what one node learns, the others keep. */
class StickyRoutesTest {

  @Test
  void aNewEntryIsToldToThePeersAndARenewalIsNot() {
    StickyRoutes here = new StickyRoutes();
    List<String> told = new ArrayList<>();
    here.sharedWith((entry, provider) -> told.add(entry + "=" + provider));

    here.succeeded("k1", "acme/model", "s:chat-1", "together");
    here.succeeded("k1", "acme/model", "s:chat-1", "together"); // renewed: not news
    here.succeeded("k1", "acme/model", "s:chat-1", "fireworks"); // moved: news

    assertThat(told)
        .containsExactly("k1|acme/model|s:chat-1=together", "k1|acme/model|s:chat-1=fireworks");
  }

  @Test
  void anEntryLearnedElsewhereRoutesHereAndIsNotToldBack() {
    StickyRoutes a = new StickyRoutes();
    StickyRoutes b = new StickyRoutes();
    List<String> toldByB = new ArrayList<>();
    a.sharedWith(b::learnedElsewhere);
    b.sharedWith((entry, provider) -> toldByB.add(entry));

    a.succeeded("k1", "acme/model", "s:chat with spaces", "together");

    assertThat(b.get("k1", "acme/model", "s:chat with spaces")).isEqualTo("together");
    assertThat(b.get("k1", "acme/model", "s:other")).isNull();
    assertThat(toldByB).isEmpty();
  }
}
