package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Schemas derived from records, and answers parsed back into them. */
class JsonSchemasTest {

  /** Every kind of component docs/client.md lists: the round trip must hold for each. */
  record Everything(
      String text,
      char letter,
      int count,
      long big,
      short small,
      double ratio,
      float weight,
      BigDecimal price,
      BigInteger huge,
      Integer boxed,
      boolean flag,
      Boolean boxedFlag,
      UUID id,
      URI link,
      Level level,
      List<Address> addresses,
      Set<String> tags,
      Map<String, Integer> scores,
      Map<String, List<Level>> nested,
      Optional<String> nickname,
      Optional<Integer> age,
      Optional<Address> home,
      Optional<List<String>> aliases,
      List<Optional<String>> gaps,
      Address address,
      @JsonProperty("renamed_field") String renamed,
      long[] samples) {}

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

  /** The answer must be valid against the schema (an independent validator says so), then parse. */
  static <T> T roundTrip(Class<T> type, String answer) throws IOException {
    JsonNode schema = JsonSchemas.of(type);
    assertThat(
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema)
                .validate(tree(answer)))
        .as("the answer is valid against the derived schema")
        .isEmpty();
    return ChatResponse.parse(answer.replace('\'', '"'), type);
  }

  static final String EVERYTHING_PRESENT =
      """
      {'text':'hello','letter':'x','count':3,'big':9007199254740993,'small':7,'ratio':0.25,
       'weight':1.5,'price':19.99,'huge':123456789012345678901234567890,'boxed':4,'flag':true,
       'boxedFlag':false,'id':'00000000-0000-4000-8000-000000000001',
       'link':'https://example.com/a','level':'HIGH',
       'addresses':[{'street':'Main St','city':'Springfield'}],'tags':['a','b'],
       'scores':{'x':1},'nested':{'k':['LOW','HIGH']},'nickname':'Bob','age':42,
       'home':{'street':'Elm St','city':'Porto'},'aliases':['b','bobby'],'gaps':['one',null],
       'address':{'street':'Oak St','city':'Oslo'},'renamed_field':'r','samples':[1,2]}""";

  @Test
  void answersWithEveryListedTypeParseBackIntoTheRecord() throws IOException {
    Everything e = roundTrip(Everything.class, EVERYTHING_PRESENT);

    assertThat(e.text()).isEqualTo("hello");
    assertThat(e.letter()).isEqualTo('x');
    assertThat(e.count()).isEqualTo(3);
    assertThat(e.big()).isEqualTo(9007199254740993L);
    assertThat(e.small()).isEqualTo((short) 7);
    assertThat(e.ratio()).isEqualTo(0.25);
    assertThat(e.weight()).isEqualTo(1.5f);
    assertThat(e.price()).isEqualByComparingTo("19.99");
    assertThat(e.huge()).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(e.boxed()).isEqualTo(4);
    assertThat(e.flag()).isTrue();
    assertThat(e.boxedFlag()).isFalse();
    assertThat(e.id()).isEqualTo(UUID.fromString("00000000-0000-4000-8000-000000000001"));
    assertThat(e.link()).isEqualTo(URI.create("https://example.com/a"));
    assertThat(e.level()).isEqualTo(Level.HIGH);
    assertThat(e.addresses()).containsExactly(new Address("Main St", "Springfield"));
    assertThat(e.tags()).containsExactlyInAnyOrder("a", "b");
    assertThat(e.scores()).containsExactly(Map.entry("x", 1));
    assertThat(e.nested()).containsExactly(Map.entry("k", List.of(Level.LOW, Level.HIGH)));
    assertThat(e.nickname()).contains("Bob");
    assertThat(e.age()).contains(42);
    assertThat(e.home()).contains(new Address("Elm St", "Porto"));
    assertThat(e.aliases()).contains(List.of("b", "bobby"));
    assertThat(e.gaps()).containsExactly(Optional.of("one"), Optional.empty());
    assertThat(e.address()).isEqualTo(new Address("Oak St", "Oslo"));
    assertThat(e.renamed()).isEqualTo("r");
    assertThat(e.samples()).containsExactly(1L, 2L);
  }

  @Test
  void nullOptionalsParseAsEmpty() throws IOException {
    String answer =
        EVERYTHING_PRESENT
            .replace("'nickname':'Bob'", "'nickname':null")
            .replace("'age':42", "'age':null")
            .replace("'home':{'street':'Elm St','city':'Porto'}", "'home':null")
            .replace("'aliases':['b','bobby']", "'aliases':null");

    Everything e = roundTrip(Everything.class, answer);

    assertThat(e.nickname()).isEmpty();
    assertThat(e.age()).isEmpty();
    assertThat(e.home()).isEmpty();
    assertThat(e.aliases()).isEmpty();
  }

  @Test
  void recordsWithOptionalsAreWrittenAsTheSchemaDescribes() throws IOException {
    Everything e = roundTrip(Everything.class, EVERYTHING_PRESENT);

    // What a tool returning such a record sends back to the model: the same JSON it was read from.
    assertThat(tree(ApiJson.string(e))).isEqualTo(tree(EVERYTHING_PRESENT));
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
