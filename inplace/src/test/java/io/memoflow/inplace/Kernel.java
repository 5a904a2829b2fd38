package io.memoflow.inplace;

import io.memoflow.dag.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A symbolic operation with declared overwrites, for planning without executing. */
public final class Kernel implements Operation {
  private final String name;
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final Map<Integer, Integer> overwrites;

  /** Returns an operation named {@code name} with the given arity that writes outputs over inputs. */
  public static Kernel of(String name, int inputs, int outputs, Map<Integer, Integer> overwrites) {
    return new Kernel(name, inputs, outputs, overwrites);
  }

  private Kernel(String name, int inputs, int outputs, Map<Integer, Integer> overwrites) {
    this.name = name;
    List<String> in = new ArrayList<>();
    for (int j = 0; j < inputs; j++) {
      in.add("in" + j);
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < outputs; k++) {
      out.add("out" + k);
    }
    this.inputNames = List.copyOf(in);
    this.outputNames = List.copyOf(out);
    this.overwrites = Map.copyOf(overwrites);
  }

  @Override public String name() { return name; }
  @Override public List<String> inputNames() { return inputNames; }
  @Override public List<String> outputNames() { return outputNames; }
  @Override public Map<Integer, Integer> overwrites() { return overwrites; }

  @Override
  public boolean equals(Object o) {
    return o instanceof Kernel k && k.name.equals(name) && k.inputNames.equals(inputNames)
        && k.outputNames.equals(outputNames) && k.overwrites.equals(overwrites);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, inputNames, outputNames, overwrites);
  }

  @Override
  public String toString() {
    return name;
  }
}
