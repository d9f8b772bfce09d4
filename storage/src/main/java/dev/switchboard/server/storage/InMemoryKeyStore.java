package dev.switchboard.server.storage;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link KeyStore} in a map, with the same semantics as the SQLite one. */
final class InMemoryKeyStore implements KeyStore {

  private static final Comparator<ApiKey> NEWEST_FIRST =
      Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::hash).reversed();

  private final Clock clock;
  private final UsageBook usage;
  private final ConcurrentHashMap<String, ApiKey> byHash = new ConcurrentHashMap<>();
  private final AtomicLong charges = new AtomicLong();

  InMemoryKeyStore(Clock clock) {
    this.clock = clock;
    this.usage = new UsageBook(clock);
  }

  @Override
  public Optional<ApiKey> findByHash(String hash) {
    if (!Keys.isHash(hash)) {
      return Optional.empty();
    }
    String h = hash.toLowerCase(Locale.ROOT);
    return Optional.ofNullable(byHash.get(h)).map(k -> k.withUsage(usage.usage(h)));
  }

  @Override
  public ApiKey create(NewKey spec) {
    ApiKey key = spec.toApiKey(clock.instant());
    if (byHash.putIfAbsent(key.hash(), key) != null) {
      throw StorageErrors.invalid("a key with this hash already exists");
    }
    return key.withUsage(usage.usage(key.hash()));
  }

  @Override
  public Optional<ApiKey> update(String hash, KeyPatch patch) {
    String h = Keys.requireHash(hash);
    ApiKey next =
        byHash.computeIfPresent(h, (k, current) -> patch.applyTo(current, clock.instant()));
    return Optional.ofNullable(next).map(k -> k.withUsage(usage.usage(h)));
  }

  @Override
  public boolean delete(String hash) {
    String h = Keys.requireHash(hash);
    boolean deleted = byHash.remove(h) != null;
    usage.remove(h);
    return deleted;
  }

  @Override
  public List<ApiKey> list(int offset, int limit, boolean includeDisabled) {
    if (offset < 0 || limit < 0) {
      throw StorageErrors.invalid("offset and limit must not be negative");
    }
    return byHash.values().stream()
        .filter(k -> includeDisabled || !k.disabled())
        .sorted(NEWEST_FIRST)
        .skip(offset)
        .limit(limit)
        .map(k -> k.withUsage(usage.usage(k.hash())))
        .toList();
  }

  @Override
  public KeyUsage usage(String hash) {
    return Keys.isHash(hash) ? usage.usage(hash.toLowerCase(Locale.ROOT)) : KeyUsage.ZERO;
  }

  @Override
  public void charge(UsageCharge charge) {
    usage.add(charge);
    charges.incrementAndGet();
  }

  UsageBook book() {
    return usage;
  }

  long charges() {
    return charges.get();
  }
}
