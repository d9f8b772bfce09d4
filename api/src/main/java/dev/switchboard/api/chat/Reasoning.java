package dev.switchboard.api.chat;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.switchboard.api.json.ApiJson;
import java.util.Map;

/** The request's {@code reasoning} object: {@code effort} or {@code max_tokens}, plus flags. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reasoning(
    String effort,
    Integer maxTokens,
    Boolean exclude,
    Boolean enabled,
    String summary,
    @JsonAnySetter @JsonProperty(ApiJson.EXTRA) Map<String, JsonNode> extra) {

  public Reasoning {
    extra = ApiJson.extra(extra);
  }

  @JsonAnyGetter
  @Override
  public Map<String, JsonNode> extra() {
    return extra;
  }
}
