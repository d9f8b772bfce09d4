package dev.switchboard.server.storage;

import java.time.Clock;

/** {@link Storage} in memory, for tests of other packages. Nothing survives {@link #close()}. */
final class InMemoryStorage implements Storage {

  private final InMemoryKeyStore keys;
  private final InMemoryActivity activity = new InMemoryActivity();
  private final InMemoryGenerationStore generations = new InMemoryGenerationStore(activity);
  private final CreditBook credits;
  private final GuardrailBook guardrails = new GuardrailBook(null);
  private final BudgetBook budgets;
  private final KeyLimitBook keyLimits;
  private final InMemoryInsights insights = new InMemoryInsights(generations::all);

  InMemoryStorage(Clock clock) {
    this.keys = new InMemoryKeyStore(clock);
    this.credits = new CreditBook(clock, null, null, keys.book());
    this.budgets = new BudgetBook(clock, null);
    this.keyLimits = new KeyLimitBook(clock, null);
  }

  @Override
  public CreditStore credits() {
    return credits;
  }

  @Override
  public GuardrailStore guardrails() {
    return guardrails;
  }

  @Override
  public BudgetStore budgets() {
    return budgets;
  }

  @Override
  public KeyLimitStore keyLimits() {
    return keyLimits;
  }

  @Override
  public InsightStore insights() {
    return insights;
  }

  @Override
  public ActivityStore activity() {
    return activity;
  }

  @Override
  public KeyStore keys() {
    return keys;
  }

  @Override
  public GenerationStore generations() {
    return generations;
  }

  @Override
  public WriteBehindStats stats() {
    return new WriteBehindStats(
        0,
        generations.recorded() + keys.charges(),
        generations.recorded() + keys.charges(),
        0,
        0,
        0,
        0,
        generations.rejected());
  }

  @Override
  public void close() {
    generations.close();
  }
}
