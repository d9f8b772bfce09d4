package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher script {@code ./switchboard}, run as a user would in a minimal environment (only
 * {@code PATH}, {@code HOME} and {@code TMPDIR}, or not even {@code HOME} as under systemd or in a
 * small container), in a scratch copy of the repository layout: stand-in JDKs whose {@code java}
 * prints how it was started, a stand-in Maven wrapper and an empty jar. Nothing is built, no JVM is
 * started; each run is bounded to 30 seconds.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest {

  static final String VERSION = "1.2.3-test";
  static final String SYSTEM_PATH = "/usr/bin:/bin";

  @TempDir Path root;
  Path jdk21;
  Path jdk17;
  Path jar;

  @BeforeEach
  void layOutARepository() throws IOException {
    Path script = repositoryRoot().resolve("switchboard");
    Files.copy(script, root.resolve("switchboard"));
    executable(root.resolve("switchboard"));
    Path pom = root.resolve("pom.xml");
    Files.writeString(
        pom,
        "<project><artifactId>switchboard-parent</artifactId><version>"
            + VERSION
            + "</version></project>\n");
    Files.setLastModifiedTime(pom, FileTime.from(Instant.now().minusSeconds(3600)));
    jdk21 = fakeJdk("jdk-21", "21.0.4");
    jdk17 = fakeJdk("jdk-17", "17.0.9");
    jar = root.resolve("gateway/target/switchboard-gateway-" + VERSION + "-all.jar");
    Files.createDirectories(jar.getParent());
    Files.write(jar, new byte[0]);
  }

  @Test
  void servesWithoutHomeInTheEnvironment() throws Exception {
    Run run =
        run(
            Map.of("JAVA_HOME", jdk21.toString()),
            List.of(script(), "serve", "--port", "0"),
            false);

    assertThat(run.err()).doesNotContain("unbound variable");
    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains(
            "java-args: --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms64m -Xmn32m -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=4 -jar "
                + jar
                + " serve --port 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"help", "--help", "-h", ""})
  void helpListsEveryCommandWithoutStartingJava(String word) throws Exception {
    Run run = word.isEmpty() ? launch(Map.of()) : launch(Map.of(), word);

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("Usage: ./switchboard COMMAND")
        .containsPattern("(?m)^  serve ")
        .containsPattern("(?m)^  simulator ")
        .containsPattern("(?m)^  test ")
        .containsPattern("(?m)^  build ")
        .containsPattern("(?m)^  jvm-options ")
        .containsPattern("(?m)^  version ")
        .doesNotContain("java-args");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void helpListsTheCommandsForARunningGateway() throws Exception {
    Run run = launch(Map.of(), "help");

    for (String command : List.of("keys", "models", "usage", "chat", "credits", "catalog")) {
      assertThat(run.out()).containsPattern("(?m)^  " + command + " ");
    }
  }

  @Test
  void everyCommandOfTheJarIsHandedToTheJar() throws Exception {
    List<String> jarCommands =
        new ArrayList<>(dev.switchboard.server.Main.commandLine().getSubcommands().keySet());
    assertThat(jarCommands).contains("serve", "keys", "chat", "catalog");

    for (String command : jarCommands) {
      Run run = launch(Map.of("JAVA_HOME", jdk21.toString()), command, "--url", "http://h:1");

      assertThat(run.code()).as(command + ": " + run.err()).isZero();
      assertThat(run.out()).contains("-jar " + jar + " " + command + " --url http://h:1");
    }
  }

  @Test
  void anUnknownCommandIsRefusedWithoutStartingJavaOrBuilding() throws Exception {
    Files.delete(jar);
    fakeMaven("echo BUILT >&2\nexit 1\n");

    Run run = launch(Map.of("JAVA_HOME", jdk21.toString()), "kyes", "list");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("switchboard: unknown command 'kyes' (./switchboard help lists the commands)\n");
    assertThat(run.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"version", "--version"})
  void versionComesFromThePom(String word) throws Exception {
    Run run = launch(Map.of(), word);

    assertThat(run.code()).isZero();
    assertThat(run.out().strip()).isEqualTo("Switchboard " + VERSION);
  }

  @Test
  void aJavaHomeOfAnOldJdkIsReportedAndSkipped() throws Exception {
    Run run =
        launch(
            Map.of("JAVA_HOME", jdk17.toString(), "PATH", jdk21.resolve("bin") + ":" + SYSTEM_PATH),
            "java-home");

    assertThat(run.code()).isZero();
    assertThat(run.err().lines())
        .containsExactly(
            "switchboard: skipping JAVA_HOME="
                + jdk17
                + ": it is Java 17; Switchboard needs 21 or newer.");
    assertThat(run.out().strip()).isNotEqualTo(jdk17.toString());
  }

  @Test
  void aJavaHomeThatIsNoJdkIsReportedAndSkipped() throws Exception {
    Path notAJdk = Files.createDirectories(root.resolve("not-a-jdk"));
    Run run =
        launch(
            Map.of(
                "JAVA_HOME", notAJdk.toString(), "PATH", jdk21.resolve("bin") + ":" + SYSTEM_PATH),
            "jvm-options");

    assertThat(run.code()).isZero();
    assertThat(run.err())
        .contains("skipping JAVA_HOME=" + notAJdk + ": no bin/java and bin/javac there");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|-XX:+UseParallelGC -Xms64m -Xmn32m -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=4",
        "-XX:+AlwaysPreTouch|-XX:+UseParallelGC -Xms64m -Xmn32m -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch",
        "-XX:+UseG1GC|-XX:+UseG1GC",
        "-XX:+UseParallelGC|-Xms64m -Xmn32m -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=4 -XX:+UseParallelGC",
        "-XX:+UseZGC -Xmx2g|-XX:+UseZGC -Xmx2g",
        "-Xmx512m|-XX:+UseParallelGC -Xmx512m",
        "-Xms200m|-XX:+UseParallelGC -Xms200m",
        "-XX:MaxRAMPercentage=50|-XX:+UseParallelGC -XX:MaxRAMPercentage=50",
        "-XX:MaxHeapSize=1g|-XX:+UseParallelGC -XX:MaxHeapSize=1g",
        "-Xmn64m|-XX:+UseParallelGC -Xmn64m",
        "-XX:NewRatio=3|-XX:+UseParallelGC -XX:NewRatio=3",
        "-Dsome.Xmx=1|-XX:+UseParallelGC -Xms64m -Xmn32m -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=4 -Dsome.Xmx=1"
      })
  void aCollectorOrHeapSizeOfTheUsersReplacesTheDefault(String user, String expected)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("JAVA_HOME", jdk21.toString()));
    if (user != null) {
      env.put("SWITCHBOARD_JAVA_OPTS", user);
    }
    Run run = launch(env, "jvm-options");

    assertThat(run.code()).isZero();
    assertThat(run.out().strip()).isEqualTo("--enable-native-access=ALL-UNNAMED " + expected);
  }

  @Test
  void raisesTheOpenFileLimitToTheHardLimit() throws Exception {
    long hard = Long.parseLong(shell("ulimit -Hn").strip().replace("unlimited", "-1"));
    assumeThat(hard).as("a finite hard limit above 256").isGreaterThan(256);

    Run run =
        run(
            Map.of("JAVA_HOME", jdk21.toString()),
            List.of("bash", "-c", "ulimit -Sn 256 && exec \"$0\" serve", script()),
            true);

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("nofile: " + hard);
  }

  @Test
  void theFirstBuildShowsOneLinePerModule() throws Exception {
    Files.delete(jar);
    fakeMaven(
        """
        echo "[INFO] Scanning for projects..."
        echo "[INFO] Building Switchboard 1.2.3-test                               [1/3]"
        echo "[INFO] Building Switchboard API (wire records) 1.2.3-test            [2/3]"
        echo "[INFO] Building jar: /somewhere/switchboard-api.jar"
        echo "[INFO] Building Switchboard gateway (the runnable server) 1.2.3-test [3/3]"
        mkdir -p "$(dirname "$JAR")" && : > "$JAR"
        """);

    Run run = launch(Map.of("JAVA_HOME", jdk21.toString()), "serve");

    assertThat(run.code()).isZero();
    assertThat(run.err().lines())
        .containsSubsequence(
            "switchboard: building the runnable jar (first run, or sources changed), module by"
                + " module:",
            "switchboard:   [1/3] Switchboard",
            "switchboard:   [2/3] Switchboard API (wire records)",
            "switchboard:   [3/3] Switchboard gateway (the runnable server)")
        .noneMatch(l -> l.contains("Building jar") || l.contains("Scanning"));
    assertThat(run.out()).contains("java-args:");
  }

  @Test
  void aFailedBuildShowsMavensErrorsAndStartsNothing() throws Exception {
    Files.delete(jar);
    fakeMaven(
        """
        echo "[INFO] Building Switchboard API (wire records) 1.2.3-test            [1/2]"
        echo "[ERROR] Failed to execute goal compile on project switchboard-api: boom"
        exit 1
        """);

    Run run = launch(Map.of("JAVA_HOME", jdk21.toString()), "serve");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("switchboard: the build failed:")
        .contains("[ERROR] Failed to execute goal compile on project switchboard-api: boom")
        .contains("Maven's whole output is in");
    assertThat(run.out()).doesNotContain("java-args");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  record Run(int code, String out, String err) {}

  String script() {
    return root.resolve("switchboard").toString();
  }

  /** Runs the launcher with only PATH, HOME, TMPDIR and {@code env} in its environment. */
  Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(script());
    command.addAll(List.of(args));
    return run(env, command, true);
  }

  Run run(Map<String, String> env, List<String> command, boolean withHome) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", SYSTEM_PATH);
    pb.environment().put("TMPDIR", root.toString());
    if (withHome) {
      pb.environment().put("HOME", root.resolve("home").toString());
    }
    pb.environment().putAll(env);
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish within 30 s: " + command);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static String shell(String command) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** A JDK whose java answers -version like the real one and otherwise prints how it was run. */
  Path fakeJdk(String name, String version) throws IOException {
    Path bin = Files.createDirectories(root.resolve(name).resolve("bin"));
    Files.writeString(
        bin.resolve("java"),
        """
        #!/bin/sh
        if [ "$1" = "-version" ]; then
          echo 'openjdk version "%s" 2024-07-16' >&2
          exit 0
        fi
        echo "java-args: $*"
        echo "nofile: $(ulimit -Sn)"
        """
            .formatted(version));
    Files.writeString(bin.resolve("javac"), "#!/bin/sh\nexit 0\n");
    executable(bin.resolve("java"));
    executable(bin.resolve("javac"));
    return root.resolve(name);
  }

  /** A Maven wrapper that runs {@code body} with JAR set to the runnable jar's path. */
  void fakeMaven(String body) throws IOException {
    Path mvnw = root.resolve("mvnw");
    Files.writeString(mvnw, "#!/bin/sh\nJAR='" + jar + "'\n" + body);
    executable(mvnw);
  }

  static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("switchboard")) && Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new AssertionError("no ./switchboard above " + Path.of("").toAbsolutePath());
  }
}
