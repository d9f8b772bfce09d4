package dev.switchboard.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to {@code POST /keys}: the new key's record and, this once, its plaintext {@code key}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CreatedKey(KeyData data, String key) {}
