package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Op declaration and argument binding. */
class OpTest {
  @Test
  void of_namesInputsAndOutputs() {
    Op f = Op.of("f", (Integer a, Integer b, Integer c) -> a + b + c);
    assertEquals(List.of("x0", "x1", "x2"), f.inputNames());
    assertEquals(List.of("output_0"), f.outputNames());
    // Without a label, the version is the hash of the function's code (see VERSIONING.md).
    assertEquals("code:" + f.codeVersion().orElseThrow().hex(), f.version());
    assertEquals(false, f.hasVersionLabel());
    assertEquals(6, f.<Integer>call(1, 2, 3).value());
  }

  @Test
  void outputCount_namesOutputs() {
    Op f = Op.builder("f").inputs("a").outputCount(3).function(a -> new Object[] {1, 2, 3}).build();
    assertEquals(List.of("output_0", "output_1", "output_2"), f.outputNames());
    assertEquals(3, f.invoke(0).<Integer>output("output_2").value());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.call(0));
    assertTrue(e.getMessage().contains("Use invoke"), e.getMessage());
  }

  @Test
  void bind_reportsMissingUnknownAndExtraArguments() {
    Op add = Op.builder("add").inputs("x", "y").function(a -> 0).build();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> add.invoke(1))
        .getMessage().contains("no argument for input 'y'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> add.invoke(1, 2, 3))
        .getMessage().contains("takes 2 arguments"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> add.invokeNamed(Map.of("z", 1)))
        .getMessage().contains("has no input 'z'"));
  }

  @Test
  void build_rejectsBadDeclarations() {
    assertThrows(IllegalStateException.class, () -> Op.builder("f").build());
    assertThrows(IllegalArgumentException.class,
        () -> Op.builder("f").inputs("x").ignored("y").function(a -> 0).build());
    assertThrows(IllegalArgumentException.class, () -> Op.builder("f").inputs("x", "x"));
    assertThrows(IllegalArgumentException.class, () -> Op.builder(" "));
  }

  @Test
  void call_outputOfUnknownNameSaysWhichExist() {
    Call c = Op.of("f", (Integer x) -> x).invoke(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.output("y"));
    assertTrue(e.getMessage().contains("[output_0]"), e.getMessage());
  }
}
