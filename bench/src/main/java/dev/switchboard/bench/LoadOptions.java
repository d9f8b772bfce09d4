package dev.switchboard.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link FixedRateLoad}, close to {@code bench/load.sh}'s.
 *
 * @param url the loopback URL to POST to
 * @param body the JSON request body file
 * @param headers extra headers, {@code Name: value}
 * @param rate total requests per second
 * @param connections connections, each carrying {@code rate / connections}
 * @param durationSeconds the measured window
 * @param warmupSeconds sent at the same rate before the window, not recorded
 * @param timeoutSeconds a request with no progress for this long fails (idle time-out)
 * @param drainSeconds how long to wait after the window for late answers before giving up on them
 * @param intervalSeconds when above 0, also print a line per interval of the window (a soak's time
 *     series): the requests that completed in it, their latency and the watched RSS
 * @param pids processes to watch for CPU and peak RSS (with their direct children)
 * @param label the first word of the output line
 * @param stream whether to report time to first byte as well (the body asks for a stream)
 */
public record LoadOptions(
    URI url,
    Path body,
    List<String[]> headers,
    long rate,
    int connections,
    long durationSeconds,
    long warmupSeconds,
    long timeoutSeconds,
    long drainSeconds,
    long intervalSeconds,
    List<Long> pids,
    String label,
    boolean stream) {

  static final String USAGE =
      """
      Usage: FixedRateLoad -u URL -b BODY.json -R RATE [-c CONNS] [-d SECONDS] [-w WARMUP_SECONDS]
                           [-H 'Name: value']... [-p PID[,PID...]] [-l LABEL] [-T TIMEOUT] [-D DRAIN]
                           [-i INTERVAL] [--stream]
        Open-loop fixed-rate load over CONNS keep-alive connections (rate/CONNS each, round-robin),
        latency recorded from each request's intended send time (coordinated-omission corrected).
        -u URL      loopback only (127.x, localhost, [::1])        -R RATE  total requests/s
        -c CONNS    connections (default 16)                        -d  measured seconds (default 20)
        -w SECONDS  warm-up at the same rate, not recorded (5)      -T  idle time-out, s (10)
        -D SECONDS  wait after the window for late answers (5); still unanswered ones are
                    recorded with the time waited so far and counted in late=
        -p PIDS     watch these processes (and their children): CPU % and peak RSS
        -i SECONDS  also print a line per interval of the window, before the summary line:
                    LABEL interval=K t= rps= p50= p90= p99= max= n= err= non2xx= [w_rss_MB=
                    w_rss_peak_MB=] for the requests that completed in it (t = its end, s)
        --stream    also report time to first body byte (ttfb_*)
      Prints one line: LABEL tool=hdrload c= t=1 R= d= rps= p50= p90= p99= p999= max= n= err=
        non2xx= late= B/req= cpu_busy%= lg_cpu%= [ttfb_p50= ttfb_p90= ttfb_p99=] [w_cpu%= w_rss_peak_MB=
        w_hwm_MB=]  (times in ms; B/req counts body bytes only)
      """;

  /** Parses the arguments; throws {@link IllegalArgumentException} with a message on bad input. */
  public static LoadOptions parse(String... args) {
    String url = null;
    String body = null;
    List<String[]> headers = new ArrayList<>();
    Long rate = null;
    int conns = 16;
    long duration = 20;
    long warmup = 5;
    long timeout = 10;
    long drain = 5;
    long interval = 0;
    List<Long> pids = new ArrayList<>();
    String label = "run";
    boolean stream = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--stream")) {
        stream = true;
        continue;
      }
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
        case "-H" -> headers.add(header(v));
        case "-R" -> rate = number(a, v);
        case "-c" -> conns = (int) Math.min(Integer.MAX_VALUE, number(a, v));
        case "-d" -> duration = number(a, v);
        case "-w" -> warmup = number(a, v);
        case "-T" -> timeout = number(a, v);
        case "-D" -> drain = number(a, v);
        case "-i" -> interval = number(a, v);
        case "-l" -> label = v;
        case "-p" -> {
          for (String p : v.split(",")) {
            if (!p.isBlank()) {
              pids.add(number(a, p.trim()));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (url == null || body == null || rate == null) {
      throw new IllegalArgumentException("-u, -b and -R are required");
    }
    URI uri = loopback(url);
    if (timeout < 1) {
      throw new IllegalArgumentException("-T must be at least 1 second");
    }
    if (interval < 0) {
      throw new IllegalArgumentException("-i must not be negative");
    }
    // Validates rate, connections, warm-up and duration the same way the run will.
    new RateSchedule(rate, conns, warmup, duration);
    return new LoadOptions(
        uri,
        Path.of(body),
        List.copyOf(headers),
        rate,
        conns,
        duration,
        warmup,
        timeout,
        drain,
        interval,
        List.copyOf(pids),
        label,
        stream);
  }

  public RateSchedule schedule() {
    return new RateSchedule(rate, connections, warmupSeconds, durationSeconds);
  }

  /** The port of the URL, with the scheme's default when it names none. */
  public int port() {
    return url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
  }

  /** The path and query of the URL, as sent in the request line. */
  public String pathAndQuery() {
    String p = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? p : p + "?" + url.getRawQuery();
  }

  static URI loopback(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    String host = uri.getHost();
    boolean ok =
        "http".equals(uri.getScheme())
            && host != null
            && (host.startsWith("127.") || host.equals("localhost") || host.equals("[::1]"));
    if (!ok) {
      throw new IllegalArgumentException("refusing non-loopback or non-http URL: " + url);
    }
    return uri;
  }

  static String[] header(String v) {
    int colon = v.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("a header is 'Name: value', was " + v);
    }
    return new String[] {v.substring(0, colon).trim(), v.substring(colon + 1).trim()};
  }

  static long number(String option, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number for " + option + ": " + v);
    }
  }
}
