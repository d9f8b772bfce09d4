package dev.switchboard.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
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
            "dev.switchboard.server.stats..",
            "dev.switchboard.server.metering..",
            "dev.switchboard.server.catalog..",
            "dev.switchboard.server.config..",
            "dev.switchboard.server.auth..",
            "dev.switchboard.server.limits..",
            "dev.switchboard.server.storage..",
            "dev.switchboard.server.inbound..",
            "dev.switchboard.server.plugins..",
            "dev.switchboard.server.telemetry..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx..", "io.netty..")
        .because("keep Vert.x types inside the server's http, upstream and pipeline glue")
        .check(classes);
  }

  /** The pipeline's classes that wait on Vert.x futures, timers or sockets; no other may. */
  private static final Set<String> PIPELINE_ON_VERTX =
      Set.of(
          "Pipeline",
          "Authenticate",
          "AuthGate",
          "AttemptStage",
          "AttemptLauncher",
          "WholeBody",
          "EventBody",
          "VectorBody",
          "MediaPrep",
          "VertxScheduler");

  @Test
  void pipelineStagesAreFreeOfVertxWhereTheyNeedNotTouchIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.server.pipeline..")
        .and(
            new DescribedPredicate<JavaClass>("not one of " + PIPELINE_ON_VERTX) {
              @Override
              public boolean test(JavaClass c) {
                String name = c.getName().substring(c.getPackageName().length() + 1);
                return !PIPELINE_ON_VERTX.contains(name.split("\\$")[0]);
              }
            })
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx..", "io.netty..")
        .because(
            "a stage that only decides (decode, plan, settle, reply) takes and gives plain values;"
                + " waiting, timers and sockets stay in the few glue classes named here, and the"
                + " client is reached through the ClientChannel port")
        .check(classes);
  }

  @Test
  void httpIsThinRoutesBodyReadingAndWriting() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.server.http..")
        .and()
        .doNotHaveSimpleName("GatewayVerticle")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.server.upstream..",
            "dev.switchboard.server.metering..",
            "dev.switchboard.core.provider..",
            "dev.switchboard.core.openai..",
            "dev.switchboard.sse..")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameStartingWith("Attempt")
        .because(
            "an inference request's work (decoding, attempts, metering, encoding) is the"
                + " pipeline's and the inbound dialect's: http reads the body and hands it over;"
                + " only GatewayVerticle, the per-event-loop wiring, creates the upstream client")
        .check(classes);
  }

  @Test
  void thePipelineNeverReachesBackIntoHttp() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.switchboard.server.pipeline..", "dev.switchboard.server.inbound..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.switchboard.server.http..", "dev.switchboard.server.cli..")
        .because("http hands requests to the pipeline, never the reverse (use ClientChannel)")
        .check(classes);
  }

  @Test
  void theRoutingModuleIsPureAndKnowsNoneOfTheServer() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.switchboard.server.routing..",
            "dev.switchboard.server.stats..",
            "dev.switchboard.server.metering..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.server.pipeline..",
            "dev.switchboard.server.http..",
            "dev.switchboard.server.inbound..",
            "dev.switchboard.server.upstream..",
            "dev.switchboard.server.auth..",
            "dev.switchboard.server.storage..",
            "dev.switchboard.server.cli..")
        .because(
            "the routing module (planning, live stats, the attempt loop, metering) depends only on"
                + " core, the providers and config; the gateway composes it")
        .check(classes);
  }

  @Test
  void storageAndConfigAreAtTheBottomOfTheServer() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.server.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.server.routing..",
            "dev.switchboard.server.stats..",
            "dev.switchboard.server.metering..",
            "dev.switchboard.server.config..",
            "dev.switchboard.server.catalog..",
            "dev.switchboard.server.pipeline..",
            "dev.switchboard.server.http..",
            "dev.switchboard.server.auth..")
        .because("storage ports and their SQLite (later PostgreSQL) implementations stand alone")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage("dev.switchboard.server.config..", "dev.switchboard.server.catalog..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.server.routing..",
            "dev.switchboard.server.stats..",
            "dev.switchboard.server.metering..",
            "dev.switchboard.server.storage..",
            "dev.switchboard.server.pipeline..",
            "dev.switchboard.server.http..")
        .because("configuration and the catalog are data every module reads; they read no module")
        .check(classes);
  }
}
