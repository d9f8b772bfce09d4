package dev.switchboard.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * {@link GenerationStore} on SQLite or PostgreSQL: records go to the writer's queue (and its map of
 * records not yet committed, which {@link #find} reads first); {@link #find} falls back to the read
 * pool.
 */
final class SqlGenerationStore implements GenerationStore {

  private final StoreWriter writer;
  private final ReadPool reads;
  private final Gate gate = new Gate();

  SqlGenerationStore(StoreWriter writer, ReadPool reads) {
    this.writer = writer;
    this.reads = reads;
  }

  @Override
  public void record(GenerationRecord generation) {
    boolean open = gate.enter();
    try {
      if (open) {
        writer.enqueue(generation);
      } else {
        writer.reject("generation " + generation.id());
      }
    } finally {
      gate.exit();
    }
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    // Pending first: the writer removes a record from it only after its commit, so a record is
    // always in one place or the other.
    GenerationRecord pending = writer.pending(id);
    if (pending != null) {
      return Optional.of(pending);
    }
    return reads.read(
        "find generation",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(GenerationRows.SELECT_BY_ID)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(GenerationRows.read(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void flush() {
    writer.flush();
  }

  @Override
  public void close() {
    gate.close();
    writer.flush();
  }
}
