package io.memoflow.dag;

import io.memoflow.testkit.DagArbitraries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Law of the bulk path of {@link CompositeComputation#of(java.util.Collection)}: it builds
 * exactly the composite the general path builds (same order, inputs, outputs, edges), and fails
 * with exactly the same error.
 */
class BulkPathPropertiesTest {

  @Provide
  Arbitrary<List<Computation>> shuffledDags() {
    return DagArbitraries.dags(0, 40).flatMap(DagArbitraries::shuffled);
  }

  @Provide
  Arbitrary<DagArbitraries.PlantedCycle> cycles() {
    return DagArbitraries.plantedCycles(1, 40);
  }

  @Property
  void bulk_agreesWithGeneral(@ForAll("shuffledDags") List<Computation> given) {
    BulkPathTest.assertSameOutcome(given);
  }

  @Property
  void bulk_agreesWithGeneral_givenADuplicate(
      @ForAll("shuffledDags") List<Computation> given, @ForAll Random rnd) {
    if (given.isEmpty()) {
      return;
    }
    List<Computation> twice = new ArrayList<>(given);
    twice.add(rnd.nextInt(twice.size() + 1), given.get(rnd.nextInt(given.size())));
    BulkPathTest.assertSameOutcome(twice);
  }

  @Property
  void bulk_agreesWithGeneral_givenACycle(@ForAll("cycles") DagArbitraries.PlantedCycle planted) {
    BulkPathTest.assertSameOutcome(planted.computations());
  }
}
