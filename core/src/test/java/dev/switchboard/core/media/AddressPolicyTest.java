package dev.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    // Literals only: InetAddress parses them without any lookup.
    return InetAddress.getByName(literal);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "172.15.255.255",
        "172.32.0.1",
        "100.63.255.255",
        "100.128.0.1",
        "169.253.1.1",
        "192.169.0.1",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "::ffff:8.8.8.8",
        "2002:0808:0808::1"
      })
  void publicAddressesPass(String address) throws Exception {
    assertThat(AddressPolicy.PUBLIC_ONLY.refusal(ip(address))).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, a loopback address",
    "127.255.255.254, a loopback address",
    "::1, a loopback address",
    "::ffff:127.0.0.1, a loopback address",
    "::127.0.0.1, a loopback address",
    "64:ff9b::7f00:1, a loopback address",
    "2002:7f00:0001::1, a loopback address",
    "10.0.0.1, a private address",
    "172.16.0.1, a private address",
    "172.31.255.255, a private address",
    "192.168.1.1, a private address",
    "::ffff:192.168.1.1, a private address",
    "100.64.0.1, a private (carrier-grade NAT) address",
    "169.254.169.254, a link-local address",
    "::ffff:169.254.169.254, a link-local address",
    "fe80::1, a link-local address",
    "fd00::1, a private (unique local) address",
    "fc12:3456::1, a private (unique local) address",
    "fec0::1, a private (site-local) address",
    "0.0.0.0, an unspecified address",
    "::, an unspecified address",
    "224.0.0.1, a multicast address",
    "ff02::1, a multicast address",
    "255.255.255.255, a reserved or broadcast address",
    "240.0.0.1, a reserved or broadcast address",
    "192.0.2.10, a reserved address",
    "198.18.0.1, a reserved address",
    "2001:db8::1, a reserved (documentation) address",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2, a Teredo address",
    "100::1, a reserved (discard-only) address"
  })
  void nonPublicAddressesAreRefusedWithTheReason(String address, String reason) throws Exception {
    assertThat(AddressPolicy.PUBLIC_ONLY.refusal(ip(address))).isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1", "::ffff:127.0.0.1"})
  void loopbackPassesOnlyWhenAllowed(String address) throws Exception {
    assertThat(new AddressPolicy(true, false).refusal(ip(address))).isNull();
    assertThat(new AddressPolicy(false, true).refusal(ip(address))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "192.168.0.1", "169.254.169.254", "fd00::1", "fe80::1"})
  void privateAndLinkLocalPassOnlyWhenAllowed(String address) throws Exception {
    assertThat(new AddressPolicy(false, true).refusal(ip(address))).isNull();
    assertThat(new AddressPolicy(true, false).refusal(ip(address))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "224.0.0.1", "255.255.255.255", "2001:db8::1"})
  void reservedRangesAreRefusedWhateverIsAllowed(String address) throws Exception {
    assertThat(new AddressPolicy(true, true).refusal(ip(address))).isNotNull();
  }

  @org.junit.jupiter.api.Test
  void mappedAddressesGivenAsSixteenBytesAreJudgedByTheirIpv4Part() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    mapped[12] = 10;
    mapped[15] = 1;
    InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(AddressPolicy.PUBLIC_ONLY.refusal(v6)).isEqualTo("a private address");
  }
}
