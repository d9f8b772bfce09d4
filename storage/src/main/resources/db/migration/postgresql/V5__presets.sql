-- Saved presets (issue 13, checklist 71): every version of a slug is kept; requests apply the newest.
CREATE TABLE presets (
  slug          TEXT    NOT NULL,
  version       INTEGER NOT NULL,
  name          TEXT,
  description   TEXT,
  config        TEXT    NOT NULL,
  created_at_us BIGINT  NOT NULL,
  PRIMARY KEY (slug, version)
);

-- The preset a generation applied (<slug>@<version>), or null.
ALTER TABLE generations ADD COLUMN preset_id TEXT;
