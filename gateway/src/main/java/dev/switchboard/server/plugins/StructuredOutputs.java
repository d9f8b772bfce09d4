package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.LlmResponse;
import dev.switchboard.core.model.Message;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.pipeline.Exchange;
import dev.switchboard.server.routing.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Structured outputs where the endpoint lacks native {@code json_schema} ({@link
 * EndpointEntry#nativeStructuredOutputs}): when no endpoint of the model takes it natively (the
 * planner prefers native endpoints when some exist), the schema goes to the model as an
 * instruction; a whole answer from an endpoint without native support is checked against the schema
 * (networknt's validator), and an answer that fails gets one repair round: the model is shown its
 * answer and the schema errors and asked for the corrected JSON. Streams get the instruction only.
 */
final class StructuredOutputs {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /** Whether the one repair round was used. Event-loop confined. */
  static final class State {
    boolean repaired;
  }

  private final PluginServices services;

  StructuredOutputs(PluginServices services) {
    this.services = services;
  }

  LlmRequest beforeModel(LlmRequest request) {
    JsonNode schema = schema(request);
    if (schema == null || anyNative(request.model())) {
      return request;
    }
    List<Message> messages = new ArrayList<>(request.messages());
    messages.add(
        0,
        new Message.System(
            List.of(
                ContentPart.Text.of(
                    "Answer with only one JSON value, no prose and no code fences, that conforms to"
                        + " this JSON Schema:\n"
                        + ApiJson.string(schema))),
            null,
            false));
    return request.withMessages(messages);
  }

  /** The repair round, or null when the answer needs none. */
  LlmRequest nextRound(Exchange ex, LlmRequest request, LlmResponse answer) {
    JsonNode schema = schema(request);
    if (schema == null || request.stream() || !answer.toolCalls().isEmpty()) {
      return null;
    }
    EndpointEntry served = served(ex);
    if (served == null || served.nativeStructuredOutputs()) {
      return null;
    }
    State state = ex.pluginState(State.class, State::new);
    if (state.repaired) {
      return null;
    }
    String problems = problems(schema, answer.content());
    if (problems == null) {
      return null;
    }
    state.repaired = true;
    List<Message> messages = new ArrayList<>(request.messages());
    messages.add(
        new Message.Assistant(
            List.of(ContentPart.Text.of(answer.content() == null ? "" : answer.content())),
            null,
            null,
            null,
            null,
            null,
            null));
    messages.add(
        new Message.User(
            List.of(
                ContentPart.Text.of(
                    "Your answer does not conform to the JSON Schema: "
                        + problems
                        + ". Reply with only the corrected JSON.")),
            null));
    return request.withMessages(messages);
  }

  /** What is wrong with {@code text} against {@code schema}, or null when nothing is. */
  static String problems(JsonNode schema, String text) {
    JsonNode value = text == null ? null : JsonRepair.parse(text);
    if (value == null) {
      try {
        value = text == null ? null : ApiJson.mapper().readTree(text);
      } catch (Exception e) {
        value = null;
      }
    }
    if (value == null) {
      return "it is not valid JSON";
    }
    JsonSchema compiled = FACTORY.getSchema(schema);
    Set<ValidationMessage> errors = compiled.validate(value);
    return errors.isEmpty()
        ? null
        : errors.stream()
            .map(ValidationMessage::getMessage)
            .sorted()
            .collect(Collectors.joining("; "));
  }

  private static JsonNode schema(LlmRequest request) {
    return request.responseFormat() != null
            && "json_schema".equals(request.responseFormat().type())
            && request.responseFormat().schema() != null
        ? request.responseFormat().schema()
        : null;
  }

  private boolean anyNative(String model) {
    return services
        .catalog
        .model(model.split(":")[0])
        .map(ModelEntry::endpoints)
        .orElse(List.of())
        .stream()
        .anyMatch(EndpointEntry::nativeStructuredOutputs);
  }

  private static EndpointEntry served(Exchange ex) {
    List<Attempt> attempts = ex.attempts();
    for (int i = attempts.size() - 1; i >= 0; i--) {
      if (attempts.get(i).state() == Attempt.State.SUCCEEDED) {
        return attempts.get(i).candidate().endpoint();
      }
    }
    return null;
  }
}
