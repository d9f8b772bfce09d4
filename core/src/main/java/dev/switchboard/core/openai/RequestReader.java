package dev.switchboard.core.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body into a {@link ChatRequest}, turning Jackson's binding failures into a 400
 * that names the field ({@code "messages" must be an array}) instead of a stack-trace message.
 */
final class RequestReader {

  private static final ObjectReader READER = ApiJson.reader(ChatRequest.class);

  private RequestReader() {}

  static ChatRequest read(byte[] body) {
    if (body == null || body.length == 0) {
      throw GatewayException.invalid("Request body is required");
    }
    try (JsonParser parser = READER.createParser(body)) {
      ChatRequest request = READER.readValue(parser);
      if (request == null) {
        throw GatewayException.invalid("Request body must be a JSON object");
      }
      requireEnd(parser);
      return request;
    } catch (JsonParseException e) {
      throw GatewayException.invalid("Request body is not valid JSON: " + e.getOriginalMessage());
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonParseException syntax) {
        // A syntax error met while binding (a truncated body, say) is still a syntax error.
        throw GatewayException.invalid(
            "Request body is not valid JSON: " + syntax.getOriginalMessage());
      }
      throw GatewayException.invalid(describe(e));
    } catch (JacksonException e) {
      throw GatewayException.invalid("Request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw GatewayException.invalid("Request body could not be read");
    }
  }

  /**
   * Jackson stops after the first value and ignores what follows; a body with more than whitespace
   * after its object is refused instead, naming where the extra data starts.
   */
  private static void requireEnd(JsonParser parser) {
    long offset = parser.currentLocation().getByteOffset();
    boolean more;
    try {
      more = parser.nextToken() != null;
    } catch (IOException e) {
      more = true;
    }
    if (more) {
      throw GatewayException.invalid(
          "Request body has more data after its JSON value (from byte "
              + offset
              + "); send exactly one JSON object");
    }
  }

  /** {@code "messages[0].tool_calls" must be an array}, from the exception's reference path. */
  static String describe(JsonMappingException e) {
    String path = path(e.getPath());
    if (path.isEmpty()) {
      return "Request body must be a JSON object";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "\"" + path + "\" must be " + expected(m.getTargetType());
    }
    return "\"" + path + "\" has an invalid value";
  }

  static String path(List<JsonMappingException.Reference> references) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String expected(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == BigDecimal.class || type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return "of another type";
  }
}
