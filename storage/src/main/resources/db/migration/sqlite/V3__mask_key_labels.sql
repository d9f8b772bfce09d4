-- Labels written before this version showed everything up to a key's last '-': a user-chosen master
-- key such as correct-horse-battery-staple-zebra-42 was labelled correct-horse-battery-staple-zebra-***.
-- The plaintext is not stored, so such labels cannot be recomputed; they are cut to their first and
-- last three characters instead (cor...***), which shows no more of the key than Keys.label does now.
-- Labels of generated keys (sk-sb-v1-abc...123, sk-sb-mgmt-v1-abc...123) already have that form.
UPDATE api_keys
SET label = CASE
  WHEN length(label) >= 12 THEN substr(label, 1, 3) || '...' || substr(label, -3)
  ELSE '***'
END
WHERE label NOT GLOB 'sk-sb-v1-???...???'
  AND label NOT GLOB 'sk-sb-mgmt-v1-???...???'
  AND label NOT GLOB '???...???'
  AND label NOT IN ('***', 'sk-sb-v1-***', 'sk-sb-mgmt-v1-***');
