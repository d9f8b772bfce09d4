package dev.switchboard.server.cli;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard serve}: runs the gateway until SIGTERM or Ctrl-C, then drains and stops. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the gateway.",
      "Configuration: --config FILE (YAML), then SWITCHBOARD_* environment variables, then these"
          + " options. Provider keys come from the environment (OPENAI_API_KEY, ...)."
    })
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--demo",
      description = "Simulated providers in-process: no provider keys, no network needed.")
  boolean demo;

  @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Port to listen on (default 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--data-dir", description = "Folder of the embedded database (default ./data).")
  Path dataDir;

  @Option(names = "--config", description = "YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GatewayConfig cfg;
    try {
      cfg =
          ConfigLoader.load(
              config != null ? config : envPath("SWITCHBOARD_CONFIG"),
              new ConfigLoader.Overrides(host, port, dataDir, demo));
    } catch (ConfigException e) {
      err.println("switchboard: " + e.getMessage());
      return 2;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(cfg);
    } catch (RuntimeException e) {
      err.println("switchboard: could not start: " + e.getMessage());
      return 1;
    }
    if (gateway.generatedMasterKey() != null) {
      GeneratedKeyNotice.announce(
          gateway.generatedMasterKey(),
          cfg.storage().dataDir(),
          GeneratedKeyNotice.jsonLogs(System.getenv("SWITCHBOARD_LOG_FORMAT")),
          out);
    }
    if (cfg.demo()) {
      out.println("Demo mode. Try:");
      out.println(
          "  curl "
              + gateway.baseUrl()
              + "/chat/completions -H 'Authorization: Bearer "
              + Gateway.DEMO_KEY
              + "' -H 'Content-Type: application/json' -d '{\"model\":"
              + "\"openai/gpt-5.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
    }
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  // Flush the asynchronous log appender before the JVM goes.
                  if (org.slf4j.LoggerFactory.getILoggerFactory()
                      instanceof ch.qos.logback.classic.LoggerContext logback) {
                    logback.stop();
                  }
                  stopped.countDown();
                },
                "switchboard-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static Path envPath(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : Path.of(v);
  }
}
