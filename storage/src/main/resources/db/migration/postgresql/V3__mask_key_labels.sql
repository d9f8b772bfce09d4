-- The PostgreSQL twin of sqlite/V3__mask_key_labels.sql: labels that show more of a key than its
-- first and last three characters are cut to that (cor...***); labels of generated keys
-- (sk-sb-v1-abc...123, sk-sb-mgmt-v1-abc...123) already have that form. LIKE's '_' is GLOB's '?'.
UPDATE api_keys
SET label = CASE
  WHEN length(label) >= 12 THEN substr(label, 1, 3) || '...' || right(label, 3)
  ELSE '***'
END
WHERE label NOT LIKE 'sk-sb-v1-___...___'
  AND label NOT LIKE 'sk-sb-mgmt-v1-___...___'
  AND label NOT LIKE '___...___'
  AND label NOT IN ('***', 'sk-sb-v1-***', 'sk-sb-mgmt-v1-***');
