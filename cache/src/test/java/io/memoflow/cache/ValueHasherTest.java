package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Constants of an op's code count by content, so editing one gives the op a new version. */
class ValueHasherTest {

  @Test
  void symbolicExpressions_countByTheirStructure() {
    assertEquals(ValueHasher.digest(Expr.symbol("x")), ValueHasher.digest(Expr.symbol("x")));
    assertNotEquals(ValueHasher.digest(Expr.symbol("x")), ValueHasher.digest(Expr.symbol("y")));
    assertNotEquals(ValueHasher.digest(Expr.symbol("x")), ValueHasher.digest("x"));
    Expr lo = Operation.MIN_MAX.outputExprs(List.of(Expr.symbol("a"), Expr.symbol("b"))).get(0);
    Expr loOther = Operation.MIN_MAX.outputExprs(List.of(Expr.symbol("a"), Expr.symbol("c"))).get(0);
    assertNotEquals(ValueHasher.digest(lo), ValueHasher.digest(loOther));
  }
}
