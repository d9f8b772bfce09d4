package dev.switchboard.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of docs/architecture.md, enforced. Each rule says what to do instead. The
 * gateway module's test class path holds every module but client and bench, so the rules see them
 * all.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard");
  }

  @Test
  void providersNeverImportTheServerOrEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.provider..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.switchboard.server..", "dev.switchboard.simulator..")
        .because("adapters are pure translators; the server calls them, never the reverse")
        .check(classes);
  }

  @Test
  void simulatorNeverImportsCodeUnderTest() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.simulator..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.core..", "dev.switchboard.provider..", "dev.switchboard.server..")
        .because("the simulator may use only api and sse, so it cannot share the code it tests")
        .check(classes);
  }

  @Test
  void coreAndApiKnowNothingOfTheServerOrVertx() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.switchboard.core..", "dev.switchboard.api..", "dev.switchboard.sse..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.switchboard.server..", "io.vertx..", "io.netty..")
        .because("the canonical model and the wire records are plain Java; keep transport out")
        .check(classes);
  }

  @Test
  void onlyApiJsonBuildsAnObjectMapper() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.switchboard.api.json.ApiJson")
        .should()
        .callConstructorWhere(
            com.tngtech.archunit.core.domain.JavaConstructorCall.Predicates.target(
                com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(
                        ObjectMapper.class))))
        .because("use ApiJson.mapper(): one ObjectMapper, configured once")
        .check(classes);
  }

  @Test
  void onlyTheUpstreamPackageBuildsAnHttpClient() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.server..")
        .and()
        .resideOutsideOfPackage("dev.switchboard.server.upstream..")
        .should()
        .callMethod(io.vertx.core.Vertx.class, "createHttpClient")
        .orShould()
        .callMethod(
            io.vertx.core.Vertx.class,
            "createHttpClient",
            io.vertx.core.http.HttpClientOptions.class)
        .orShould()
        .callMethod(
            io.vertx.core.Vertx.class,
            "createHttpClient",
            io.vertx.core.http.HttpClientOptions.class,
            io.vertx.core.http.PoolOptions.class)
        .because("upstream calls go through UpstreamClient (pooling, time-outs, classification)")
        .check(classes);
  }

  @Test
  void vertxStaysInTheHttpUpstreamAndBootstrapCode() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.switchboard.server.routing..",
            "dev.switchboard.server.metering..",
            "dev.switchboard.server.catalog..",
            "dev.switchboard.server.config..",
            "dev.switchboard.server.auth..",
            "dev.switchboard.server.limits..",
            "dev.switchboard.server.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx..")
        .because("keep Vert.x types inside the server's http and upstream packages")
        .check(classes);
  }
}
