package dev.switchboard.server.storage;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link GenerationStore} in a map; {@link #record} is immediately durable for the process. */
final class InMemoryGenerationStore implements GenerationStore {

  private static final Logger log = LoggerFactory.getLogger(InMemoryGenerationStore.class);

  private final ConcurrentHashMap<String, GenerationRecord> byId = new ConcurrentHashMap<>();
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final InMemoryActivity activity;
  private volatile boolean closed;

  InMemoryGenerationStore(InMemoryActivity activity) {
    this.activity = activity;
  }

  InMemoryGenerationStore() {
    this(new InMemoryActivity());
  }

  @Override
  public void record(GenerationRecord generation) {
    if (closed) {
      rejected.incrementAndGet();
      log.warn("generation {} offered after storage close; not kept", generation.id());
      return;
    }
    if (byId.putIfAbsent(generation.id(), generation) == null) {
      activity.add(generation);
    }
    recorded.incrementAndGet();
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    closed = true;
  }

  /** Every record kept, in no order. */
  Iterable<GenerationRecord> all() {
    return byId.values();
  }

  long recorded() {
    return recorded.get();
  }

  long rejected() {
    return rejected.get();
  }
}
