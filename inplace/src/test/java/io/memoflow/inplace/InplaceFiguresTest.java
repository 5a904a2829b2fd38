package io.memoflow.inplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The headline memory figures, on fixed seeds (the JSON report prints the same with more cases). */
class InplaceFiguresTest {

  @Test
  void equalSizes_peakIsTheMaxLiveBoundInEveryCase() {
    for (InplaceComposites.Overwrites o : InplaceComposites.Overwrites.values()) {
      InplaceFigures.Figures f = InplaceFigures.measure(InplaceComposites.Sizes.EQUAL, o, 150, 200, 11);
      assertEquals(f.cases(), f.casesAtBound(), f.toJson("equal"));
    }
  }

  @Test
  void matrixShapes_peakIsCloseToTheMaxLiveBound() {
    InplaceFigures.Figures f =
        InplaceFigures.measure(InplaceComposites.Sizes.MIXED, InplaceComposites.Overwrites.BLAS, 150, 200, 12);
    assertTrue(f.meanOverBound() <= 0.02, f.toJson("mixed"));
    assertTrue(f.p99OverBound() <= 0.10, f.toJson("mixed"));
  }

  @Test
  void copies_neverMoreThanTheSoleReaderRule() {
    InplaceFigures.Figures f =
        InplaceFigures.measure(InplaceComposites.Sizes.EQUAL, InplaceComposites.Overwrites.DENSE, 100, 200, 13);
    assertTrue(f.copies() < f.ruleCopies(), f.toJson("copies"));
    assertTrue(f.peakBytes() < f.oneBufferPerValueBytes(), f.toJson("copies"));
  }
}
