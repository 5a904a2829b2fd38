package io.memoflow.inplace;

import static java.util.Objects.requireNonNull;

import io.memoflow.dag.CompositeComputation;
import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * A composite computation paired with buffers: an order of its computations and, for every
 * variable, the buffer that holds it. Produced by {@link BufferPlanner#plan}, or made by hand
 * with {@link #of} (and then verified with {@link #check()}).
 *
 * <p>A plan's {@link #composite()} is the planned composite: the original computations, where an
 * operand that had to survive its destroyer is replaced by an explicit {@link Copy}. Every
 * declared overwrite then runs in place: an output written over an input shares its buffer.
 * {@link #toString()} lists the plan one step a line, operands named by buffer ({@code C :=
 * GEMM(A, B, C)}).
 *
 * <p>Immutable and thread-safe; lists and maps returned are unmodifiable snapshots and iterate in
 * a deterministic order. Two plans are equal when they have equal composites, orders, donated
 * inputs and buffer assignments.
 */
public final class BufferPlan {
  private final Graph graph;
  private final int[] seq;
  private final int[] bufferOfValue;
  private final List<Buffer> buffers;
  private final List<Computation> order;
  private final long maxLive;
  private final long peak;
  private final int copies;
  private final int soleReaderRuleCopies;
  private final long oneBufferPerValue;

  BufferPlan(Graph graph, int[] seq, int[] bufferOfValue, long[] bufferBytes, String[] names,
      long maxLive, int soleReaderRuleCopies) {
    this.graph = graph;
    this.seq = seq;
    this.soleReaderRuleCopies = soleReaderRuleCopies;
    this.maxLive = maxLive;
    // Number buffers by first use in time and name them, so listings read top to bottom.
    int[] renumber = new int[bufferBytes.length];
    Arrays.fill(renumber, -1);
    int next = 0;
    int[] firstValue = new int[bufferBytes.length];
    for (int v : valuesInTimeOrder()) {
      int b = bufferOfValue[v];
      if (renumber[b] < 0) {
        firstValue[next] = v;
        renumber[b] = next++;
      }
    }
    Set<String> symbolNames = null; // made when the first buffer needs a generated name
    Buffer[] bs = new Buffer[next];
    long[] bytes = new long[next];
    for (int b = 0; b < bufferBytes.length; b++) {
      if (renumber[b] >= 0) {
        bytes[renumber[b]] = bufferBytes[b];
      }
    }
    Set<String> used = new HashSet<>();
    for (int b = 0; b < next; b++) {
      Expr first = graph.values[firstValue[b]];
      String name;
      if (names != null) {
        name = names[bufferOfValue[firstValue[b]]];
      } else if (first instanceof Expr.Symbol s && used.add(s.name())) {
        name = s.name();
      } else {
        name = "b" + b;
        if (symbolNames == null) {
          // Only names shaped like generated ones ("b", digits, primes) can collide.
          symbolNames = new HashSet<>();
          for (Expr e : graph.values) {
            if (e instanceof Expr.Symbol s && s.name().length() > 1 && s.name().charAt(0) == 'b'
                && Character.isDigit(s.name().charAt(1))) {
              symbolNames.add(s.name());
            }
          }
        }
        while (symbolNames.contains(name) || !used.add(name)) {
          name = name + "'";
        }
      }
      bs[b] = new Buffer(b, name, bytes[b]);
    }
    this.buffers = List.of(bs);
    this.bufferOfValue = new int[bufferOfValue.length];
    for (int v = 0; v < bufferOfValue.length; v++) {
      this.bufferOfValue[v] = renumber[bufferOfValue[v]];
    }
    long p = 0;
    for (Buffer b : bs) {
      p += b.bytes();
    }
    this.peak = p;
    List<Computation> o = new ArrayList<>(seq.length);
    int c = 0;
    for (int q : seq) {
      o.add(graph.nodes[q]);
      if (graph.nodes[q].operation() instanceof Copy) {
        c++;
      }
    }
    int[][] inPlace = inPlaceByBuffers(graph, bufferOfValue);
    for (Graph.Pair pair : graph.pairs) {
      if (pair.kind() != Graph.Kind.TOO_LARGE && inPlace[pair.node()][pair.output()] < 0) {
        c++; // written out of place: the kernel copies the operand into the output
      }
    }
    this.order = Collections.unmodifiableList(o);
    this.copies = c;
    long one = 0;
    for (int v = 0; v < graph.values.length; v++) {
      int pq = graph.producer[v];
      if (pq < 0 || !(graph.nodes[pq].operation() instanceof Copy)) {
        one += graph.size[v];
      }
    }
    this.oneBufferPerValue = one;
  }

  private int[] valuesInTimeOrder() {
    int[] out = new int[graph.values.length];
    int n = 0;
    for (int v = 0; v < graph.values.length && graph.graphInput[v]; v++) {
      out[n++] = v;
    }
    for (int q : seq) {
      for (int w : graph.outputs[q]) {
        out[n++] = w;
      }
    }
    return out;
  }

  /**
   * Returns a hand-made plan of BufferOperation operations, sized by their lengths, donating nothing.
   *
   * @see #of(CompositeComputation, List, Map, ToLongFunction, Collection)
   */
  public static BufferPlan of(
      CompositeComputation composite, List<Computation> order, Map<Expr, String> buffers) {
    return of(composite, order, buffers, null, List.of());
  }

  /**
   * Returns a hand-made plan: {@code composite} run in {@code order}, each variable in the buffer
   * named by {@code buffers}. Nothing is checked beyond the shape; call {@link #check()} to
   * verify that no value is lost. An output shares its operand's buffer in place when the
   * operation declares that overwrite and both are given the same buffer name.
   *
   * @param sizes bytes per variable, or null to take them from BufferOperation lengths
   * @param donated graph inputs the plan may overwrite
   * @throws IllegalArgumentException if the order is not the composite's computations each once,
   *     a variable has no buffer, or sizes cannot be found
   */
  public static BufferPlan of(
      CompositeComputation composite,
      List<Computation> order,
      Map<Expr, String> buffers,
      ToLongFunction<Expr> sizes,
      Collection<Expr> donated) {
    requireNonNull(composite, "composite");
    requireNonNull(order, "order");
    requireNonNull(buffers, "buffers");
    Graph g = new Graph(composite, sizes, requireNonNull(donated, "donated"));
    if (order.size() != g.nodeCount) {
      throw new IllegalArgumentException(Messages.orderSize(order.size(), g.nodeCount));
    }
    int[] seq = new int[order.size()];
    boolean[] seen = new boolean[g.nodeCount];
    for (int t = 0; t < seq.length; t++) {
      Computation c = order.get(t);
      if (!composite.contains(c)) {
        throw new IllegalArgumentException(Messages.notInComposite(c));
      }
      int q = g.nodeOfPosition[composite.indexOf(c)];
      if (seen[q]) {
        throw new IllegalArgumentException(Messages.orderSize(order.size(), g.nodeCount));
      }
      seen[q] = true;
      seq[t] = q;
    }
    Map<String, Integer> ids = new LinkedHashMap<>();
    int[] bufferOf = new int[g.values.length];
    List<Long> bytes = new ArrayList<>();
    for (int v = 0; v < g.values.length; v++) {
      String name = buffers.get(g.values[v]);
      if (name == null) {
        throw new IllegalArgumentException(Messages.noBuffer(g.values[v]));
      }
      Integer id = ids.get(name);
      if (id == null) {
        id = ids.size();
        ids.put(name, id);
        bytes.add(0L);
      }
      bufferOf[v] = id;
      bytes.set(id, Math.max(bytes.get(id), g.size[v]));
    }
    long[] bb = new long[bytes.size()];
    for (int b = 0; b < bb.length; b++) {
      bb[b] = bytes.get(b);
    }
    int[][] inPlace = inPlaceByBuffers(g, bufferOf);
    Lifetimes life = new Lifetimes(g, seq, inPlace);
    return new BufferPlan(g, seq, bufferOf, bb, ids.keySet().toArray(new String[0]), life.maxLive,
        g.soleReaderRuleCopies());
  }

  /** Declared overwrites whose output and operand share a buffer. */
  static int[][] inPlaceByBuffers(Graph g, int[] bufferOf) {
    int[][] inPlace = new int[g.nodeCount][];
    for (int q = 0; q < g.nodeCount; q++) {
      int[] ow = g.overwrites[q];
      inPlace[q] = new int[ow.length];
      for (int k = 0; k < ow.length; k++) {
        int j = ow[k];
        inPlace[q][k] =
            j >= 0 && bufferOf[g.outputs[q][k]] == bufferOf[g.inputs[q][j]] ? j : -1;
      }
    }
    return inPlace;
  }

  // ---------------------------------------------------------------- views

  /** Returns the planned composite: the original computations plus the copies the plan makes. */
  public CompositeComputation composite() {
    return graph.composite();
  }

  /** Returns the planned composite's computations in the order the plan runs them. */
  public List<Computation> order() {
    return order;
  }

  /** Returns one step per computation, in order, with the buffers it reads and writes. */
  public List<Step> steps() {
    List<Step> out = new ArrayList<>(seq.length);
    for (int q : seq) {
      out.add(new Step(graph.nodes[q], buffersOf(graph.inputs[q]), buffersOf(graph.outputs[q])));
    }
    return Collections.unmodifiableList(out);
  }

  private List<Buffer> buffersOf(int[] values) {
    List<Buffer> out = new ArrayList<>(values.length);
    for (int v : values) {
      out.add(buffers.get(bufferOfValue[v]));
    }
    return List.copyOf(out);
  }

  /** Returns the buffers, by {@link Buffer#id()}: numbered in order of first use. */
  public List<Buffer> buffers() {
    return buffers;
  }

  /**
   * Returns the buffer that holds {@code variable}.
   *
   * @throws IllegalArgumentException if it is not a variable of {@link #composite()}
   */
  public Buffer bufferOf(Expr variable) {
    return buffers.get(bufferOfValue[idOf(variable)]);
  }

  /**
   * Returns the size in bytes of {@code variable}.
   *
   * @throws IllegalArgumentException if it is not a variable of {@link #composite()}
   */
  public long bytesOf(Expr variable) {
    return graph.size[idOf(variable)];
  }

  /** Returns every variable with its buffer, graph inputs first then in order; a snapshot. */
  public Map<Expr, Buffer> assignment() {
    Map<Expr, Buffer> out = new LinkedHashMap<>();
    for (int v : valuesInTimeOrder()) {
      out.put(graph.values[v], buffers.get(bufferOfValue[v]));
    }
    return Collections.unmodifiableMap(out);
  }

  private int idOf(Expr variable) {
    Integer id = graph.valueId().get(requireNonNull(variable, "variable"));
    if (id == null) {
      throw new IllegalArgumentException(
          "Variable " + variable + " is not in this plan. Pass one of composite().variables().");
    }
    return id;
  }

  /** Returns the graph inputs the plan may overwrite. */
  public Set<Expr> donated() {
    return graph.donated;
  }

  /** Returns the plan's peak: the bytes of all its buffers together. */
  public long peakBytes() {
    return peak;
  }

  /**
   * Returns the max-live lower bound under this plan's order: the most bytes live at one step.
   * No assignment of buffers for this order needs fewer than this; {@link #peakBytes()} is at
   * least this.
   */
  public long maxLiveBytes() {
    return maxLive;
  }

  /**
   * Returns the number of copies the plan makes: its {@link Copy} steps, plus the declared
   * overwrites it runs out of place (a result smaller than its operand is written to a buffer of
   * its own, the kernel copying what it needs). Overwrites whose result is larger than the
   * operand can never run in place and are not counted.
   */
  public int copies() {
    return copies;
  }

  /**
   * Returns how many copies the rule "copy unless the destroyer is the only reader" makes on the
   * composite this plan was made from: the baseline {@link #copies()} is measured against.
   */
  public int soleReaderRuleCopies() {
    return soleReaderRuleCopies;
  }

  /** Returns the bytes of one buffer per variable (copies not counted): memory without planning. */
  public long oneBufferPerValueBytes() {
    return oneBufferPerValue;
  }

  /** Returns {@link #oneBufferPerValueBytes()} minus {@link #peakBytes()}. */
  public long bytesSaved() {
    return oneBufferPerValue - peak;
  }

  // ---------------------------------------------------------------- check and run

  /**
   * Verifies that, in this plan's order, every read of a value in a buffer comes before the next
   * write to that buffer, that a step writes over one of its own operands only where the
   * operation declares that overwrite, and that graph inputs not donated and the composite's
   * outputs survive to the end.
   *
   * @return this plan
   * @throws UnsafePlanException naming the value, the buffer and the two operations, if not
   */
  public BufferPlan check() {
    PlanChecker.check(graph, seq, bufferOfValue, buffers);
    return this;
  }

  /**
   * Runs the plan on fresh {@code double[]} buffers; see {@link #execute(Map, IntFunction)}.
   */
  public Map<Expr, double[]> execute(Map<Expr, double[]> inputs) {
    return execute(inputs, double[]::new);
  }

  /**
   * {@link #check() Checks} the plan, then runs it on real buffers, calling each operation's
   * {@link io.memoflow.dag.BufferOperation#execute} with the arrays of its buffers: an output written
   * in place is the very array of its operand. Arrays of graph inputs that are not donated are
   * used as their buffers and never written; a donated input's array is used (and overwritten)
   * when it is as long as its buffer, else copied into one. Other buffers come from {@code
   * allocator}, called with a length in doubles; their prior content is never read.
   *
   * <p><b>Note:</b> a buffer reused by values of different sizes is as long as the largest, so an
   * operation may be passed an array longer than its {@code inputLength} or {@code outputLength};
   * it must use the leading doubles.
   *
   * @param inputs one array per graph input, at least as long as the operations read
   * @return the composite's outputs, each copied out of its buffer, in {@code
   *     composite().outputs()} order
   * @throws IllegalStateException if an operation is not an BufferOperation
   * @throws IllegalArgumentException if an input array is missing or too short
   * @throws UnsafePlanException if the plan is not safe
   */
  public Map<Expr, double[]> execute(Map<Expr, double[]> inputs, IntFunction<double[]> allocator) {
    requireNonNull(inputs, "inputs");
    requireNonNull(allocator, "allocator");
    check();
    return PlanExecutor.run(graph, seq, bufferOfValue, buffers, inputs, allocator);
  }

  // ---------------------------------------------------------------- text

  /**
   * Returns the listing: a header with the figures, then one line per step such as {@code C :=
   * GEMM(A, B, C)}, operands named by buffer, followed by the variables written.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(seq.length).append(" steps, ").append(buffers.size())
        .append(" buffers; peak ").append(peak).append(" B, max-live bound ").append(maxLive)
        .append(" B; ").append(copies).append(copies == 1 ? " copy" : " copies")
        .append("; one buffer per value ").append(oneBufferPerValue).append(" B, saved ")
        .append(bytesSaved()).append(" B\n");
    for (int v = 0; v < graph.values.length && graph.graphInput[v]; v++) {
      sb.append("# input ").append(graph.values[v]).append(" in ")
          .append(buffers.get(bufferOfValue[v])).append(graph.donated.contains(graph.values[v]) ? " (donated)" : "")
          .append('\n');
    }
    for (Step s : steps()) {
      sb.append(s).append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof BufferPlan p
        && p.graph.composite().equals(graph.composite())
        && p.order.equals(order)
        && p.graph.donated.equals(graph.donated)
        && p.assignment().equals(assignment());
  }

  @Override
  public int hashCode() {
    return 31 * graph.composite().hashCode() + order.hashCode();
  }

  /**
   * One step of a plan: a computation with the buffers of its inputs and outputs. Immutable.
   *
   * @param computation what runs
   * @param inputs the buffer of each input, in order
   * @param outputs the buffer of each output, in order
   */
  public record Step(Computation computation, List<Buffer> inputs, List<Buffer> outputs) {
    /** Copies the lists. */
    public Step {
      requireNonNull(computation, "computation");
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }

    /** Returns {@code C := GEMM(A, B, C)   # GEMM(A, B, C)}: buffers, then the values written. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (outputs.size() == 1) {
        sb.append(outputs.get(0));
      } else {
        sb.append('(');
        join(sb, outputs);
        sb.append(')');
      }
      sb.append(" := ").append(computation.operation().name()).append('(');
      join(sb, inputs);
      sb.append(')');
      int pad = Math.max(1, 32 - sb.length());
      sb.append(" ".repeat(pad)).append("# ");
      List<Expr> outs = computation.outputs();
      sb.append(outs.size() == 1 ? outs.get(0).toString() : outs.toString());
      return sb.toString();
    }

    private static void join(StringBuilder sb, List<Buffer> bs) {
      for (int i = 0; i < bs.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(bs.get(i));
      }
    }
  }
}
