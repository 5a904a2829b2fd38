package io.memoflow.examples;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaModifier.PUBLIC;
import static com.tngtech.archunit.core.domain.properties.HasModifiers.Predicates.modifier;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules, checked on the main classes of every library module (ARCHITECTURE.md draws
 * them): no package imports a package that imports it back, no module uses another module's
 * {@code internal} package, {@code dag} is the bare graph model, and frames and code versions
 * stay out of memoization's internals.
 */
class ArchitectureTest {
  private static final List<String> MODULES =
      List.of("dag", "matrix", "cache", "reactive", "inplace", "testkit", "cluster", "examples");
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // inplace's test-jar (the benchmarks' random composites) holds tests, not main classes.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.memoflow");
  }

  @Test
  void packages_formNoCycle() {
    slices().matching("io.memoflow.(**)").namingSlices("$1")
        .should().beFreeOfCycles()
        .check(classes);
  }

  @Test
  void internalPackages_areUsedOnlyInsideTheirModule() {
    for (String module : MODULES) {
      String root = "io.memoflow." + module;
      noClasses().that().resideOutsideOfPackage(root + "..")
          .should().dependOnClassesThat().resideInAPackage(root + ".internal..")
          .as("only module " + module + " uses " + root + ".internal")
          .check(classes);
    }
  }

  @Test
  void dag_dependsOnNothingButTheJdk() {
    noClasses().that().resideInAPackage("io.memoflow.dag..")
        .should().dependOnClassesThat(not(resideInAnyPackage("java..", "io.memoflow.dag..")))
        .as("dag is the bare graph model: no third-party or other memoflow dependency")
        .check(classes);
  }

  @Test
  void layers_knowOnlyWhatTheyNeed() {
    ArchRule cacheKnowsNoReactor = noClasses().that().resideInAPackage("io.memoflow.cache..")
        .should().dependOnClassesThat().resideInAnyPackage("reactor..", "io.memoflow.reactive..");
    ArchRule inplaceKnowsNoStore = noClasses().that().resideInAPackage("io.memoflow.inplace..")
        .should().dependOnClassesThat().resideInAnyPackage("io.memoflow.cache..", "reactor..");
    ArchRule matrixKnowsNoStore = noClasses().that().resideInAPackage("io.memoflow.matrix..")
        .should().dependOnClassesThat().resideInAnyPackage("io.memoflow.cache..", "reactor..",
            "io.memoflow.reactive..", "io.memoflow.inplace..");
    cacheKnowsNoReactor.check(classes);
    inplaceKnowsNoStore.check(classes);
    matrixKnowsNoStore.check(classes);
  }

  @Test
  void onlyTheTestkit_dependsOnTestFrameworks() {
    noClasses().that().resideInAPackage("io.memoflow..")
        .and().resideOutsideOfPackage("io.memoflow.testkit..")
        .should().dependOnClassesThat().resideInAnyPackage("net.jqwik..", "org.junit..")
        .as("jqwik and JUnit are test scope everywhere but in memoflow-testkit")
        .check(classes);
  }

  @Test
  void codeVersioning_dependsOnNothingElseInCache() {
    noClasses().that().resideInAPackage("io.memoflow.cache.version..")
        .should().dependOnClassesThat(resideInAPackage("io.memoflow.cache..")
            .and(not(resideInAPackage("io.memoflow.cache.version.."))))
        .check(classes);
  }

  @Test
  void frames_useOnlyTheMemoizationApi() {
    noClasses().that().resideInAPackage("io.memoflow.cache.frame..")
        .should().dependOnClassesThat(resideInAPackage("io.memoflow.cache")
            .and(not(modifier(PUBLIC))))
        .as("frames use only public types of io.memoflow.cache (the store through CallGraph)")
        .check(classes);
    noClasses().that().resideInAPackage("io.memoflow.cache.frame..")
        .should().dependOnClassesThat().resideInAPackage("io.memoflow.cache.internal..")
        .as("frames reach the store only through CallGraph, never its implementation")
        .check(classes);
  }

  @Test
  void cacheRoot_hasAtMostTwentyPublicTypes() {
    long n = classes.stream()
        .filter(c -> c.getPackageName().equals("io.memoflow.cache"))
        .filter(c -> c.getModifiers().contains(PUBLIC) && c.isTopLevelClass())
        .count();
    assertTrue(n <= 20, "io.memoflow.cache has " + n + " public types; move details out");
  }
}
