package dev.switchboard.simulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaInstancesTest {

  static Stream<String> schemas() {
    return Stream.of(
        "{\"type\":\"string\"}",
        "{\"type\":\"integer\"}",
        "{\"type\":\"number\"}",
        "{\"type\":\"boolean\"}",
        "{\"type\":\"null\"}",
        "{\"type\":[\"null\",\"string\"]}",
        "{\"enum\":[\"c\",\"f\"]}",
        "{\"const\":{\"fixed\":true}}",
        "{\"type\":\"string\",\"minLength\":12,\"maxLength\":14}",
        "{\"type\":\"string\",\"maxLength\":2}",
        "{\"type\":\"integer\",\"minimum\":10,\"maximum\":12}",
        "{\"type\":\"integer\",\"exclusiveMinimum\":10,\"exclusiveMaximum\":12}",
        "{\"type\":\"integer\",\"maximum\":-5}",
        "{\"type\":\"integer\",\"minimum\":7,\"multipleOf\":5}",
        "{\"type\":\"number\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":1}",
        "{\"type\":\"number\",\"minimum\":0.25,\"maximum\":0.75}",
        "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":3,\"uniqueItems\":true}",
        "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"maxItems\":0}",
        "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}",
        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
            + "\"units\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]},"
            + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},"
            + "\"required\":[\"city\",\"units\"],\"additionalProperties\":false}",
        "{\"type\":\"object\",\"required\":[\"id\"],\"minProperties\":3,"
            + "\"additionalProperties\":{\"type\":\"integer\"}}",
        "{\"type\":\"object\",\"properties\":{\"when\":{\"type\":\"string\",\"format\":\"date-time\"},"
            + "\"mail\":{\"type\":\"string\",\"format\":\"email\"},"
            + "\"id\":{\"type\":\"string\",\"format\":\"uuid\"}}}",
        "{\"anyOf\":[{\"type\":\"integer\",\"minimum\":3},{\"type\":\"string\"}]}",
        "{\"oneOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"boolean\"}},"
            + "\"required\":[\"a\"]},{\"type\":\"string\"}]}",
        "{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
            + "\"required\":[\"a\"]},{\"properties\":{\"b\":{\"type\":\"integer\"}},"
            + "\"required\":[\"b\"]}]}",
        "{\"$defs\":{\"point\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"number\"},"
            + "\"y\":{\"type\":\"number\"}},\"required\":[\"x\",\"y\"]}},"
            + "\"type\":\"object\",\"properties\":{\"from\":{\"$ref\":\"#/$defs/point\"},"
            + "\"to\":{\"$ref\":\"#/$defs/point\"}},\"required\":[\"from\",\"to\"]}",
        "{\"definitions\":{\"tag\":{\"type\":\"string\",\"enum\":[\"x\",\"y\",\"z\"]}},"
            + "\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/tag\"},\"minItems\":2,"
            + "\"uniqueItems\":true}",
        "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
            + "\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}},"
            + "\"required\":[\"name\"]}",
        "{\"type\":\"object\",\"properties\":{\"order\":{\"type\":\"object\",\"properties\":{"
            + "\"lines\":{\"type\":\"array\",\"minItems\":2,\"items\":{\"type\":\"object\","
            + "\"properties\":{\"sku\":{\"type\":\"string\"},\"qty\":{\"type\":\"integer\","
            + "\"minimum\":1}},\"required\":[\"sku\",\"qty\"],\"additionalProperties\":false}}},"
            + "\"required\":[\"lines\"]}},\"required\":[\"order\"]}",
        "{}",
        "true");
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void generatesAnInstanceValidAgainstTheSchema(String schemaText) throws IOException {
    JsonNode schema = ApiJson.tree(schemaText);

    JsonNode instance = SchemaInstances.generate(schema, "value");

    assertThat(SchemaCheck.errors(schema, instance))
        .as("instance %s of %s", instance, schemaText)
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("schemas")
  void isDeterministic(String schemaText) throws IOException {
    JsonNode schema = ApiJson.tree(schemaText);

    assertThat(SchemaInstances.generate(schema, "v"))
        .isEqualTo(SchemaInstances.generate(schema, "v"));
  }

  @Test
  void usesPropertyNamesAsStringValues() throws IOException {
    JsonNode schema =
        ApiJson.tree(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                + "\"country\":{\"type\":\"string\"},\"tags\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\"},\"minItems\":2}}}");

    assertThat(ApiJson.string(SchemaInstances.generate(schema, "args")))
        .isEqualTo("{\"city\":\"city\",\"country\":\"country\",\"tags\":[\"tag\",\"tag 2\"]}");
  }

  @Test
  void picksLowerBoundsAndFirstEnumValues() throws IOException {
    JsonNode schema =
        ApiJson.tree(
            "{\"type\":\"object\",\"properties\":{\"days\":{\"type\":\"integer\",\"minimum\":3},"
                + "\"unit\":{\"enum\":[\"celsius\",\"fahrenheit\"]},\"ok\":{\"type\":\"boolean\"}}}");

    assertThat(ApiJson.string(SchemaInstances.generate(schema, "args")))
        .isEqualTo("{\"days\":3,\"unit\":\"celsius\",\"ok\":true}");
  }
}
