package dev.switchboard.simulator.behavior;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/** Validates instances with an independent JSON Schema implementation (draft 2020-12). */
public final class SchemaCheck {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private SchemaCheck() {}

  /** The validation errors of {@code instance} against {@code schema}; empty when valid. */
  public static Set<ValidationMessage> errors(JsonNode schema, JsonNode instance) {
    return FACTORY.getSchema(schema).validate(instance);
  }
}
