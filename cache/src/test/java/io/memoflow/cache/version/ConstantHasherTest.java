package io.memoflow.cache.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.memoflow.dag.Expr;
import io.memoflow.dag.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Constants of an op's code count by content, so editing one gives the op a new version. */
class ConstantHasherTest {

  @Test
  void symbolicExpressions_countByTheirStructure() {
    assertEquals(ConstantHasher.digest(Expr.symbol("x")), ConstantHasher.digest(Expr.symbol("x")));
    assertNotEquals(ConstantHasher.digest(Expr.symbol("x")), ConstantHasher.digest(Expr.symbol("y")));
    assertNotEquals(ConstantHasher.digest(Expr.symbol("x")), ConstantHasher.digest("x"));
    Expr lo = Operation.MIN_MAX.outputExprs(List.of(Expr.symbol("a"), Expr.symbol("b"))).get(0);
    Expr loOther = Operation.MIN_MAX.outputExprs(List.of(Expr.symbol("a"), Expr.symbol("c"))).get(0);
    assertNotEquals(ConstantHasher.digest(lo), ConstantHasher.digest(loOther));
  }
}
