package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Schemas derived from records, and answers parsed back into them. */
class JsonSchemasTest {

  @JsonClassDescription("A person")
  record Person(
      String name,
      int age,
      double height,
      boolean active,
      BigDecimal balance,
      UUID id,
      List<String> tags,
      Set<Long> numbers,
      Map<String, Integer> scores,
      Optional<String> nickname,
      Address address,
      Level level,
      String[] aliases) {}

  record Address(String street, String city) {}

  enum Level {
    LOW,
    HIGH
  }

  record Node(String name, Node next) {}

  record WithDate(LocalDate date) {}

  static JsonNode tree(String json) throws IOException {
    return ApiJson.tree(json.replace('\'', '"'));
  }

  @Test
  void everyComponentKindMapsToItsSchema() throws IOException {
    ObjectNode schema = JsonSchemas.of(Person.class);
    assertThat(schema.get("description").asText()).isEqualTo("A person");
    assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
    assertThat(schema.get("required")).hasSize(13);
    JsonNode p = schema.get("properties");
    assertThat(p.get("name")).isEqualTo(tree("{'type':'string'}"));
    assertThat(p.get("age")).isEqualTo(tree("{'type':'integer'}"));
    assertThat(p.get("height")).isEqualTo(tree("{'type':'number'}"));
    assertThat(p.get("active")).isEqualTo(tree("{'type':'boolean'}"));
    assertThat(p.get("balance")).isEqualTo(tree("{'type':'number'}"));
    assertThat(p.get("id")).isEqualTo(tree("{'type':'string','format':'uuid'}"));
    assertThat(p.get("tags")).isEqualTo(tree("{'type':'array','items':{'type':'string'}}"));
    assertThat(p.get("numbers"))
        .isEqualTo(tree("{'type':'array','items':{'type':'integer'},'uniqueItems':true}"));
    assertThat(p.get("scores"))
        .isEqualTo(tree("{'type':'object','additionalProperties':{'type':'integer'}}"));
    assertThat(p.get("nickname")).isEqualTo(tree("{'anyOf':[{'type':'string'},{'type':'null'}]}"));
    assertThat(p.get("address"))
        .isEqualTo(
            tree(
                "{'type':'object','properties':{'street':{'type':'string'},'city':{'type':'string'}},"
                    + "'required':['street','city'],'additionalProperties':false}"));
    assertThat(p.get("level")).isEqualTo(tree("{'type':'string','enum':['LOW','HIGH']}"));
    assertThat(p.get("aliases")).isEqualTo(tree("{'type':'array','items':{'type':'string'}}"));
  }

  @Test
  void recursiveAndUnsupportedTypesAreRefusedClearly() {
    assertThatThrownBy(() -> JsonSchemas.of(Node.class)).hasMessageContaining("recursive");
    assertThatThrownBy(() -> JsonSchemas.of(WithDate.class))
        .hasMessageContaining("java.time.LocalDate");
    assertThatThrownBy(() -> JsonSchemas.of(String.class)).hasMessageContaining("not a record");
  }

  @Test
  void answersParseBackIntoTheRecordEvenInsideACodeFence() {
    String json = "```json\n{\"street\":\"Main St\",\"city\":\"Springfield\"}\n```";
    assertThat(ChatResponse.parse(json, Address.class))
        .isEqualTo(new Address("Main St", "Springfield"));
    assertThatThrownBy(() -> ChatResponse.parse("not json", Address.class))
        .isInstanceOf(InvalidResponseException.class)
        .hasMessageContaining("not a JSON Address");
  }
}
