package dev.switchboard.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.http.HttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's place in the module graph (house style 3.2, 3.11), enforced on its main code. The
 * gateway's own ArchitectureTest does not see this module.
 */
class ClientArchitectureTest {

  static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard.client");
  }

  @Test
  void sdkDependsOnlyOnApiSseJacksonAndTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.switchboard.client..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.switchboard.client..",
            "dev.switchboard.api..",
            "dev.switchboard.sse..",
            "com.fasterxml.jackson..",
            "java..",
            "javax.net..")
        .because(
            "the client is a small library: api and sse only, the JDK's HttpClient as transport")
        .check(main);
  }

  @Test
  void onlyApiJsonBuildsAnObjectMapper() {
    noClasses()
        .should()
        .callConstructorWhere(
            JavaConstructorCall.Predicates.target(
                HasOwner.Predicates.With.owner(
                    JavaClass.Predicates.assignableTo(ObjectMapper.class))))
        .because("use ApiJson.mapper(): one ObjectMapper, configured once")
        .check(main);
  }

  @Test
  void onlyTheTransportBuildsAnHttpClient() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.switchboard.client.internal.HttpTransport")
        .should()
        .callMethod(HttpClient.class, "newBuilder")
        .orShould()
        .callMethod(HttpClient.class, "newHttpClient")
        .because("requests go through HttpTransport (base URL, key, headers, time-outs)")
        .check(main);
  }

  @Test
  void publicApiDoesNotLeakTheInternalPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.switchboard.client.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.switchboard.client")
        .because("internal is the transport under the public API, never above it")
        .check(main);
  }
}
