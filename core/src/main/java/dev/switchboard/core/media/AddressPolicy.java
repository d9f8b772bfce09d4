package dev.switchboard.core.media;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which resolved addresses the gateway may fetch media from. Public unicast addresses always pass;
 * loopback ({@code 127/8}, {@code ::1}) only with {@code allowLoopback}; private and link-local
 * ranges ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, carrier-grade NAT {@code 100.64/10},
 * {@code 169.254/16} with the cloud metadata address, {@code fc00::/7}, {@code fe80::/10}, {@code
 * fec0::/10}) only with {@code allowPrivate}. Unspecified, multicast, broadcast, documentation,
 * benchmarking and reserved ranges are always refused. IPv6 forms that embed an IPv4 address
 * (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) are judged by the IPv4 address they carry; Teredo is refused.
 *
 * @param allowLoopback whether loopback addresses may be fetched (tests, a local media server)
 * @param allowPrivate whether private and link-local addresses may be fetched (an intranet)
 */
public record AddressPolicy(boolean allowLoopback, boolean allowPrivate) {

  /** Public addresses only: the default. */
  public static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(false, false);

  /** Why {@code address} is refused ("a loopback address", ...), or null when it is allowed. */
  public String refusal(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return refusalV4(b);
    }
    if (address instanceof Inet6Address) {
      return refusalV6(b);
    }
    return "an address of unknown family";
  }

  private String refusalV4(byte[] b) {
    int a0 = b[0] & 0xFF;
    int a1 = b[1] & 0xFF;
    int a2 = b[2] & 0xFF;
    if (a0 == 127) {
      return allowLoopback ? null : "a loopback address";
    }
    if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
      return allowPrivate ? null : "a private address";
    }
    if (a0 == 100 && a1 >= 64 && a1 <= 127) {
      return allowPrivate ? null : "a private (carrier-grade NAT) address";
    }
    if (a0 == 169 && a1 == 254) {
      return allowPrivate ? null : "a link-local address";
    }
    if (a0 == 0) {
      return "an unspecified address";
    }
    if (a0 >= 224) {
      return a0 < 240 ? "a multicast address" : "a reserved or broadcast address";
    }
    if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)
        || (a0 == 198 && (a1 == 18 || a1 == 19))) {
      return "a reserved address";
    }
    return null;
  }

  private String refusalV6(byte[] b) {
    if (isZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
      return refusalV4(slice(b, 12)); // ::ffff:a.b.c.d
    }
    if (isZero(b, 0, 15)) {
      int last = b[15] & 0xFF;
      if (last == 1) {
        return allowLoopback ? null : "a loopback address";
      }
      if (last == 0) {
        return "an unspecified address";
      }
    }
    if (isZero(b, 0, 12)) {
      return refusalV4(slice(b, 12)); // ::a.b.c.d, deprecated IPv4-compatible
    }
    int w0 = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    int w1 = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    if (w0 == 0x0064 && w1 == 0xff9b && isZero(b, 4, 12)) {
      return refusalV4(slice(b, 12)); // NAT64
    }
    if (w0 == 0x2002) {
      return refusalV4(slice(b, 2)); // 6to4
    }
    if ((b[0] & 0xFF) == 0xFF) {
      return "a multicast address";
    }
    if ((b[0] & 0xFE) == 0xFC) {
      return allowPrivate ? null : "a private (unique local) address";
    }
    if ((b[0] & 0xFF) == 0xFE && (b[1] & 0xC0) == 0x80) {
      return allowPrivate ? null : "a link-local address";
    }
    if ((b[0] & 0xFF) == 0xFE && (b[1] & 0xC0) == 0xC0) {
      return allowPrivate ? null : "a private (site-local) address";
    }
    if (w0 == 0x2001 && (w1 == 0x0000 || w1 == 0x0db8)) {
      return w1 == 0 ? "a Teredo address" : "a reserved (documentation) address";
    }
    if (w0 == 0x0100 && isZero(b, 2, 8)) {
      return "a reserved (discard-only) address";
    }
    return null;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }
}
