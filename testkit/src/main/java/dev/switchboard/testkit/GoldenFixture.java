package dev.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A recorded (or written) file under {@code src/test/resources/<folder>/} and where its goldens go:
 * {@code golden/<group>/<name>.<kind>.json}, the group being the folder without its first segment
 * ({@code fixtures/openai} and {@code written/openai} both write to {@code golden/openai/}).
 *
 * @param folder the folder below {@code src/test/resources}, e.g. {@code fixtures/anthropic}
 * @param file the file's name, e.g. {@code stream-tool-calls.sse}
 */
public record GoldenFixture(String folder, String file) {

  private static final Path RESOURCES = Path.of("src", "test", "resources");
  private static final List<String> EXTENSIONS = List.of(".chunks.txt", ".sse", ".json");

  /** The files of each folder, in the order given, whose names pass {@code names}; each sorted. */
  public static Stream<GoldenFixture> in(List<String> folders, Predicate<String> names) {
    return folders.stream().flatMap(folder -> in(folder, names).stream());
  }

  private static List<GoldenFixture> in(String folder, Predicate<String> names) {
    try (Stream<Path> files = Files.list(RESOURCES.resolve(folder))) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(names)
          .sorted()
          .map(file -> new GoldenFixture(folder, file))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The classpath resource, e.g. {@code fixtures/anthropic/stream-tool-calls.sse}. */
  public String resource() {
    return folder + "/" + file;
  }

  /** The folder without its first segment: {@code fixtures/openai-compatible} gives the latter. */
  public String group() {
    return folder.substring(folder.indexOf('/') + 1);
  }

  /** The file's name without {@code .chunks.txt}, {@code .sse} or {@code .json}. */
  public String name() {
    for (String extension : EXTENSIONS) {
      if (file.endsWith(extension)) {
        return file.substring(0, file.length() - extension.length());
      }
    }
    return file;
  }

  /**
   * The golden of one kind ({@code events}, {@code chunks}, {@code response}, ...) for this file.
   */
  public String golden(String kind) {
    return "golden/" + group() + "/" + name() + "." + kind + ".json";
  }
}
