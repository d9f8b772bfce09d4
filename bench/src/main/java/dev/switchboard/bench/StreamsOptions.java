package dev.switchboard.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link OpenStreams}.
 *
 * @param url the loopback URL to POST the streaming requests to
 * @param body the JSON request body file (it asks for a stream)
 * @param headers extra headers, {@code Name: value}
 * @param streams how many streams to open, each on its own connection
 * @param openPerSecond how fast to open them
 * @param readIntervalMs a slow reader: each stream is paused and reads one chunk this often (0 =
 *     reads everything as it comes)
 * @param receiveBufferBytes the client sockets' receive buffer (0 = the system's default); a small
 *     one makes a slow reader push back on the gateway sooner
 * @param stallSeconds a stream that receives nothing for this long counts as stalled (once)
 * @param timeoutSeconds the whole run's limit: streams still open then are counted unfinished
 * @param pids processes to watch for CPU and RSS (with their direct children)
 * @param label the first word of the output lines
 */
public record StreamsOptions(
    URI url,
    Path body,
    List<String[]> headers,
    int streams,
    int openPerSecond,
    long readIntervalMs,
    int receiveBufferBytes,
    long stallSeconds,
    long timeoutSeconds,
    List<Long> pids,
    String label) {

  /** The most streams one run may open (each takes a descriptor here and two in the gateway). */
  static final int MAX_STREAMS = 100_000;

  static final String USAGE =
      """
      Usage: OpenStreams -u URL -b BODY.json -n STREAMS [-r OPEN_PER_SECOND] [--read-ms MS]
                         [--rcvbuf BYTES] [--stall SECONDS] [-T SECONDS] [-H 'Name: value']...
                         [-p PID[,PID...]] [-l LABEL]
        Opens STREAMS streaming requests, each on its own connection, OPEN_PER_SECOND a second
        (default 500), and follows every one to its end as a slow reader: paused, reading one chunk
        every MS ms (default 1000; 0 = as fast as it comes), with a receive buffer of BYTES
        (default: the system's). A stream succeeds when it answers 200 and ends with data: [DONE].
        --stall S   a stream that receives nothing for S seconds is a stall (default 10); choose S
                    above the upstream's gap between tokens plus MS
        -T SECONDS  the whole run's limit (default 600): streams still open then are unfinished
        -p PIDS     watch these processes (and their children): CPU %, RSS, peak RSS, VmHWM
      Progress goes to stderr every second (LABEL progress t= open= completed= errors= stalls=
        [w_rss_MB=]), and LABEL all-open t= when all STREAMS are open at once.
      Prints one line at the end: LABEL tool=openstreams n= opened= peak_open= all_open_s= completed=
        errors= stalls= unfinished= max_gap_ms= ttfb_p50= ttfb_p99= B/stream= lg_cpu%= [w_cpu%=
        w_rss_peak_MB= w_hwm_MB=] errors_by_kind={...}
      Exit status 0 when all STREAMS were open at once and every one completed without error or
      stall; 1 otherwise.
      """;

  /** Parses the arguments; throws {@link IllegalArgumentException} with a message on bad input. */
  public static StreamsOptions parse(String... args) {
    String url = null;
    String body = null;
    List<String[]> headers = new ArrayList<>();
    Long streams = null;
    long openPerSecond = 500;
    long readMs = 1000;
    long rcvbuf = 0;
    long stall = 10;
    long timeout = 600;
    List<Long> pids = new ArrayList<>();
    String label = "streams";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        throw new IllegalArgumentException("");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + a);
      }
      String v = args[++i];
      switch (a) {
        case "-u" -> url = v;
        case "-b" -> body = v;
        case "-H" -> headers.add(LoadOptions.header(v));
        case "-n" -> streams = LoadOptions.number(a, v);
        case "-r" -> openPerSecond = LoadOptions.number(a, v);
        case "--read-ms" -> readMs = LoadOptions.number(a, v);
        case "--rcvbuf" -> rcvbuf = LoadOptions.number(a, v);
        case "--stall" -> stall = LoadOptions.number(a, v);
        case "-T" -> timeout = LoadOptions.number(a, v);
        case "-l" -> label = v;
        case "-p" -> {
          for (String p : v.split(",")) {
            if (!p.isBlank()) {
              pids.add(LoadOptions.number(a, p.trim()));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (url == null || body == null || streams == null) {
      throw new IllegalArgumentException("-u, -b and -n are required");
    }
    URI uri = LoadOptions.loopback(url);
    if (streams < 1 || streams > MAX_STREAMS) {
      throw new IllegalArgumentException("-n must be 1.." + MAX_STREAMS + ", was " + streams);
    }
    if (openPerSecond < 1 || openPerSecond > 100_000) {
      throw new IllegalArgumentException("-r must be 1..100000 a second, was " + openPerSecond);
    }
    if (readMs < 0 || rcvbuf < 0 || rcvbuf > 64 << 20) {
      throw new IllegalArgumentException(
          "--read-ms and --rcvbuf must not be negative (rcvbuf <= 64 MiB)");
    }
    if (stall < 1 || timeout < 1) {
      throw new IllegalArgumentException("--stall and -T must be at least 1 second");
    }
    return new StreamsOptions(
        uri,
        Path.of(body),
        List.copyOf(headers),
        streams.intValue(),
        (int) openPerSecond,
        readMs,
        (int) rcvbuf,
        stall,
        timeout,
        List.copyOf(pids),
        label);
  }

  /** The port of the URL, with the scheme's default when it names none. */
  public int port() {
    return url.getPort() > 0 ? url.getPort() : 80;
  }

  /** The path and query of the URL, as sent in the request line. */
  public String pathAndQuery() {
    String p = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? p : p + "?" + url.getRawQuery();
  }
}
