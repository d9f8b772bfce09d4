package dev.switchboard.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP connection to the gateway, for what an HTTP client library will not do: send nothing,
 * drip a head or a body, send a malformed request, hang up half-way.
 */
final class RawSocket implements AutoCloseable {

  final Socket socket;

  private RawSocket(Socket socket) {
    this.socket = socket;
  }

  static RawSocket open(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    s.setTcpNoDelay(true);
    return new RawSocket(s);
  }

  void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** Whether the server closed the connection (end of stream or reset) within {@code ms}. */
  boolean closedWithin(long ms) throws IOException {
    socket.setSoTimeout((int) ms);
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // discard whatever the server still sends
      }
      return true;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  /** Everything the server sends until it closes the connection, waiting at most {@code ms}. */
  String readUntilClosed(long ms) throws IOException {
    socket.setSoTimeout((int) ms);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    InputStream in = socket.getInputStream();
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketException reset) {
      // what arrived before the reset is the answer
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** One HTTP/1.1 response with a Content-Length body, leaving the connection open. */
  String readResponse(long ms) throws IOException {
    socket.setSoTimeout((int) ms);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed in the head: " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return h + new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
