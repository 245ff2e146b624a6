package io.asyncbridge.launcher.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.upstream.UpstreamMeters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture rules of the README's "Modules" section, checked on the main classes of every module the launcher
 * puts together (schemas, core, the three services, simulator, testkit and the launcher itself). The launcher is the
 * one module whose test class path holds all of them, so the rules live here.
 */
class ArchitectureTest {

  private static final String SCHEMAS = "io.asyncbridge.schemas..";
  private static final String CORE = "io.asyncbridge.core..";
  private static final String INGEST = "io.asyncbridge.ingest..";
  private static final String POLLER = "io.asyncbridge.poller..";
  private static final String CALLBACKS = "io.asyncbridge.callbacks..";
  private static final String LAUNCHER = "io.asyncbridge.launcher..";
  private static final String SIMULATOR = "io.asyncbridge.simulator..";
  private static final String TESTKIT = "io.asyncbridge.testkit..";

  /** The state machines: what they do reaches HTTP through dispatcher interfaces and Kafka through Kafka Streams. */
  private static final String[] STATE_MACHINES = {
      "io.asyncbridge.ingest.topology..", "io.asyncbridge.ingest.request..",
      "io.asyncbridge.poller.topology..", "io.asyncbridge.poller.state..", "io.asyncbridge.poller.poll..",
      "io.asyncbridge.callbacks.correlation..", "io.asyncbridge.callbacks.signature..",
      "io.asyncbridge.core.schedule..", "io.asyncbridge.core.statemachine..", "io.asyncbridge.core.streams..",
      "io.asyncbridge.core.config..", SCHEMAS};

  /**
   * Where the bridge speaks HTTP: the upstream calls, the webhook endpoint and the management endpoint; and the
   * simulator and the test kit, which stand in for the upstreams and collectors the bridge talks to.
   */
  private static final String[] HTTP_EDGES = {
      "io.asyncbridge.core.upstream..", "io.asyncbridge.ingest.dispatch..", "io.asyncbridge.poller.http..",
      "io.asyncbridge.callbacks.http..", "io.asyncbridge.core.http..", "io.asyncbridge.core.status..",
      "io.asyncbridge.core.observability..", SIMULATOR, TESTKIT};

  private static final String[] VERTX_HTTP = {"io.vertx.core.http..", "io.vertx.ext.web.."};

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.asyncbridge");
  }

  @Test
  void everyModuleIsImported() {
    for (String module : new String[] {SCHEMAS, CORE, INGEST, POLLER, CALLBACKS, LAUNCHER, SIMULATOR, TESTKIT}) {
      org.assertj.core.api.Assertions.assertThat(classes.that(resideInAnyPackage(module)))
          .as("classes of %s", module).isNotEmpty();
    }
  }

  @Test
  void noServiceModuleDependsOnAnother() {
    check(noClasses().that().resideInAPackage(INGEST)
        .should().dependOnClassesThat().resideInAnyPackage(POLLER, CALLBACKS, LAUNCHER, SIMULATOR, TESTKIT));
    check(noClasses().that().resideInAPackage(POLLER)
        .should().dependOnClassesThat().resideInAnyPackage(INGEST, CALLBACKS, LAUNCHER, SIMULATOR, TESTKIT));
    check(noClasses().that().resideInAPackage(CALLBACKS)
        .should().dependOnClassesThat().resideInAnyPackage(INGEST, POLLER, LAUNCHER, SIMULATOR, TESTKIT));
  }

  @Test
  void theSharedModulesDependOnNoService() {
    check(noClasses().that().resideInAPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(INGEST, POLLER, CALLBACKS, LAUNCHER, SIMULATOR, TESTKIT));
    check(noClasses().that().resideInAPackage(SCHEMAS)
        .should().dependOnClassesThat().resideInAnyPackage(CORE, INGEST, POLLER, CALLBACKS, LAUNCHER, SIMULATOR,
            TESTKIT));
  }

  @Test
  void noPackageCycles() {
    check(slices().matching("io.asyncbridge.(**)").should().beFreeOfCycles());
  }

  @Test
  void httpStaysAtTheEdges() {
    check(noClasses().that().resideOutsideOfPackages(HTTP_EDGES)
        .should().dependOnClassesThat().resideInAnyPackage(VERTX_HTTP));
  }

  @Test
  void theStateMachinesNeitherCallHttpNorOpenKafkaClients() {
    check(noClasses().that().resideInAnyPackage(STATE_MACHINES)
        .should().dependOnClassesThat().resideInAnyPackage(VERTX_HTTP));
    check(noClasses().that().resideInAnyPackage(STATE_MACHINES)
        .should().dependOnClassesThat(or(
            assignableTo(org.apache.kafka.clients.producer.Producer.class),
            assignableTo(org.apache.kafka.clients.consumer.Consumer.class),
            assignableTo(org.apache.kafka.clients.admin.Admin.class))));
  }

  /** A service's meters are in the process's registry (ServiceContext.meters); the unscraped ones are for tests. */
  @Test
  void onlyTestsUseUnscrapedMeters() {
    check(noClasses().that().doNotHaveFullyQualifiedName(UpstreamMeters.class.getName())
        .should().callMethod(ServiceMeters.class, "forTests", String.class, BridgeConfig.class)
        .orShould().callMethod(ServiceMeters.class, "forTests", String.class)
        .orShould().callMethod(UpstreamMeters.class, "forTests"));
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }
}
