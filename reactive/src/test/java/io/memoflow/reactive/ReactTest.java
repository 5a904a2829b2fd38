package io.memoflow.reactive;

import static io.memoflow.reactive.Graphs.X;
import static io.memoflow.reactive.Graphs.Y;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Dag;
import io.memoflow.dag.Expr;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ReactTest {
  private final Fixture fixture = Graphs.arithmetic();
  private final Engine engine = fixture.builder().maxParallelism(2).build();

  @AfterEach
  void close() {
    engine.close();
  }

  /** sx = Square(x); ny = Neg(y); r = Add(sx, ny). */
  private static CompositeComputation twoBranches() {
    return Dag.builder()
        .input("x", "y")
        .step(Graphs.SQUARE, "x").as("sx")
        .step(Graphs.NEG, "y").as("ny")
        .step(Graphs.ADD, "sx", "ny").as("r")
        .build();
  }

  @Test
  void react_recomputesOnlyWhatDependsOnTheChange() {
    Expr r = Expr.symbol("r");
    Flux<Map<Expr, Object>> changes = Flux.just(
        Map.of(X, 3L, Y, 1L), // all three nodes
        Map.of(Y, 2L), // Neg and Add
        Map.of(Y, 2L), // nothing changed
        Map.of(X, 4L)); // Square and Add
    StepVerifier.create(engine.react(twoBranches(), changes))
        .expectNext(Map.of(r, 8L), Map.of(r, 7L), Map.of(r, 7L), Map.of(r, 14L))
        .verifyComplete();
    assertEquals(2, fixture.executions("Square"));
    assertEquals(2, fixture.executions("Neg"));
    assertEquals(3, fixture.executions("Add"));
  }

  @Test
  void react_incompleteFirstChange_saysWhatIsMissing() {
    StepVerifier.create(engine.react(twoBranches(), Flux.just(Map.of(X, 1L))))
        .expectErrorMessage("The first change must bind every input, but [y] are missing."
            + " Start the stream with a complete binding.")
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void react_unknownInput_fails() {
    StepVerifier.create(engine.react(twoBranches(),
            Flux.just(Map.of(X, 1L, Y, 1L), Map.of(Expr.symbol("z"), 1L))))
        .expectNextCount(1)
        .expectErrorMatches(e -> e.getMessage().startsWith("Input z is not an input"))
        .verify(Duration.ofSeconds(5));
  }
}
