package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsdTest {

  @Test
  void keepsNineDecimalsAndRoundsHalfEven() {
    assertThat(Usd.normalize(new BigDecimal("0.0000000025"))).isEqualTo("0.000000002");
    assertThat(Usd.normalize(new BigDecimal("0.0000000035"))).isEqualTo("0.000000004");
    assertThat(Usd.normalize(new BigDecimal("1"))).isEqualTo("1.000000000");
    assertThat(Usd.normalize(null)).isNull();
  }

  @Test
  void convertsToAndFromNanoDollarsWithoutLoss() {
    BigDecimal amount = new BigDecimal("123.456789012");

    assertThat(Usd.toNanos(amount)).isEqualTo(123_456_789_012L);
    assertThat(Usd.fromNanos(123_456_789_012L)).isEqualTo(amount);
    assertThat(Usd.fromNanos(1)).isEqualTo("0.000000001");
  }

  @Test
  void refusesAmountsBeyondALong() {
    assertThatThrownBy(() -> Usd.toNanos(new BigDecimal("10000000000")))
        .isInstanceOf(ArithmeticException.class);
  }
}
