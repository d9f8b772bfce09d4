package dev.switchboard.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code generations} table: column list, insert binding and row mapping. */
final class GenerationRows {

  static final String COLUMNS =
      "id, request_id, key_hash, upstream_id, model, provider_name, provider_slug, "
          + "created_at_us, total_cost_nanos, upstream_inference_cost_nanos, "
          + "cache_discount_nanos, streamed, cancelled, latency_ms, generation_time_ms, "
          + "moderation_latency_ms, finish_reason, native_finish_reason, tokens_prompt, "
          + "tokens_completion, native_tokens_prompt, native_tokens_completion, "
          + "native_tokens_completion_images, native_tokens_reasoning, native_tokens_cached, "
          + "num_media_prompt, num_media_completion, num_input_audio_prompt, "
          + "num_search_results, origin, http_referer, app_title, user_agent, external_user, "
          + "api_type, router, session_id, is_byok, error_status, error_message, "
          + "provider_responses, routing_trace, preset_id, "
          + "response_cache_source_id, web_search_engine";

  static final String INSERT =
      "INSERT INTO generations (" + COLUMNS + ") VALUES (" + "?, ".repeat(44) + "?)";

  static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM generations WHERE id = ?";

  private GenerationRows() {}

  static void bind(PreparedStatement ps, GenerationRecord g) throws SQLException {
    ps.setString(1, g.id());
    ps.setString(2, g.requestId());
    ps.setString(3, g.keyHash());
    ps.setString(4, g.upstreamId());
    ps.setString(5, g.model());
    ps.setString(6, g.providerName());
    ps.setString(7, g.providerSlug());
    SqlValues.setMicros(ps, 8, g.createdAt());
    SqlValues.setMoney(ps, 9, g.totalCost());
    SqlValues.setMoney(ps, 10, g.upstreamInferenceCost());
    SqlValues.setMoney(ps, 11, g.cacheDiscount());
    SqlValues.setBool(ps, 12, g.streamed());
    SqlValues.setBool(ps, 13, g.cancelled());
    ps.setLong(14, g.latencyMs());
    SqlValues.setLong(ps, 15, g.generationTimeMs());
    SqlValues.setLong(ps, 16, g.moderationLatencyMs());
    ps.setString(17, g.finishReason());
    ps.setString(18, g.nativeFinishReason());
    SqlValues.setLong(ps, 19, g.tokensPrompt());
    SqlValues.setLong(ps, 20, g.tokensCompletion());
    SqlValues.setLong(ps, 21, g.nativeTokensPrompt());
    SqlValues.setLong(ps, 22, g.nativeTokensCompletion());
    SqlValues.setLong(ps, 23, g.nativeTokensCompletionImages());
    SqlValues.setLong(ps, 24, g.nativeTokensReasoning());
    SqlValues.setLong(ps, 25, g.nativeTokensCached());
    SqlValues.setInt(ps, 26, g.numMediaPrompt());
    SqlValues.setInt(ps, 27, g.numMediaCompletion());
    SqlValues.setInt(ps, 28, g.numInputAudioPrompt());
    SqlValues.setInt(ps, 29, g.numSearchResults());
    ps.setString(30, g.origin());
    ps.setString(31, g.httpReferer());
    ps.setString(32, g.appTitle());
    ps.setString(33, g.userAgent());
    ps.setString(34, g.externalUser());
    ps.setString(35, g.apiType());
    ps.setString(36, g.router());
    ps.setString(37, g.sessionId());
    SqlValues.setBool(ps, 38, g.isByok());
    SqlValues.setInt(ps, 39, g.errorStatus());
    ps.setString(40, g.errorMessage());
    ps.setString(41, g.providerResponses());
    ps.setString(42, g.routingTrace());
    ps.setString(43, g.presetId());
    ps.setString(44, g.responseCacheSourceId());
    ps.setString(45, g.webSearchEngine());
  }

  static GenerationRecord read(ResultSet rs) throws SQLException {
    return new GenerationRecord(
        rs.getString("id"),
        rs.getString("request_id"),
        rs.getString("key_hash"),
        rs.getString("upstream_id"),
        rs.getString("model"),
        rs.getString("provider_name"),
        rs.getString("provider_slug"),
        SqlValues.getMicros(rs, "created_at_us"),
        SqlValues.getMoney(rs, "total_cost_nanos"),
        SqlValues.getMoney(rs, "upstream_inference_cost_nanos"),
        SqlValues.getMoney(rs, "cache_discount_nanos"),
        SqlValues.getBool(rs, "streamed"),
        SqlValues.getBool(rs, "cancelled"),
        rs.getLong("latency_ms"),
        SqlValues.getLong(rs, "generation_time_ms"),
        SqlValues.getLong(rs, "moderation_latency_ms"),
        rs.getString("finish_reason"),
        rs.getString("native_finish_reason"),
        SqlValues.getLong(rs, "tokens_prompt"),
        SqlValues.getLong(rs, "tokens_completion"),
        SqlValues.getLong(rs, "native_tokens_prompt"),
        SqlValues.getLong(rs, "native_tokens_completion"),
        SqlValues.getLong(rs, "native_tokens_completion_images"),
        SqlValues.getLong(rs, "native_tokens_reasoning"),
        SqlValues.getLong(rs, "native_tokens_cached"),
        SqlValues.getInt(rs, "num_media_prompt"),
        SqlValues.getInt(rs, "num_media_completion"),
        SqlValues.getInt(rs, "num_input_audio_prompt"),
        SqlValues.getInt(rs, "num_search_results"),
        rs.getString("origin"),
        rs.getString("http_referer"),
        rs.getString("app_title"),
        rs.getString("user_agent"),
        rs.getString("external_user"),
        rs.getString("api_type"),
        rs.getString("router"),
        rs.getString("session_id"),
        SqlValues.getBool(rs, "is_byok"),
        SqlValues.getInt(rs, "error_status"),
        rs.getString("error_message"),
        rs.getString("provider_responses"),
        rs.getString("routing_trace"),
        rs.getString("preset_id"),
        rs.getString("response_cache_source_id"),
        rs.getString("web_search_engine"));
  }
}
