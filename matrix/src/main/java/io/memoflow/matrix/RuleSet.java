package io.memoflow.matrix;

import static io.memoflow.matrix.ExprPattern.any;
import static io.memoflow.matrix.ExprPattern.inverse;
import static io.memoflow.matrix.ExprPattern.product;
import static io.memoflow.matrix.ExprPattern.scaled;
import static io.memoflow.matrix.ExprPattern.sum;
import static io.memoflow.matrix.ExprPattern.transpose;
import static java.util.Objects.requireNonNull;

import io.memoflow.matrix.MatrixExpr.Factor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ordered list of {@link Rule}s; {@link #steps} lists every call that computes a value.
 *
 * <p>{@link #standard()} covers every canonical expression with the routines of {@link
 * LibraryOp}: products by GEMM (each split, each transpose flag), SYMM and SYRK; sums by GEMM
 * with {@code C}, SYRK with {@code C} and AXPY; lone scalar multiples by AXPY onto zero;
 * transposes by COPY; {@code A^-1 B} and {@code A^-1} by GESV, POSV (A positive definite),
 * POTRS (from the Cholesky factor), GETRS (from the LU factor) and TRSM (A triangular); the
 * factors themselves by POTRF and GETRF (or as POSV's by-product), so solves with one matrix
 * share its factorization; {@code X^T A^-1 X} for positive definite A by POTRF, TRSM and SYRK.
 * Immutable and thread-safe.
 */
public final class RuleSet {
  private final List<Rule> rules;

  private RuleSet(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Returns the rule set of these rules, tried in order. */
  public static RuleSet of(List<Rule> rules) {
    return new RuleSet(rules);
  }

  /** Returns this rule set with {@code more} rules after the present ones. */
  public RuleSet plus(Rule... more) {
    List<Rule> all = new ArrayList<>(rules);
    all.addAll(Arrays.asList(more));
    return new RuleSet(all);
  }

  /**
   * Returns this rule set without the rules called {@code names} (to compare covers with and
   * without some rules).
   *
   * @throws IllegalArgumentException if no rule has one of the names
   */
  public RuleSet without(String... names) {
    return without(Arrays.asList(names));
  }

  /** Returns this rule set without the rules called {@code names}; see {@link #without(String...)}. */
  public RuleSet without(java.util.Collection<String> names) {
    Set<String> drop = new HashSet<>(names);
    List<Rule> kept = new ArrayList<>();
    for (Rule r : rules) {
      if (!drop.remove(r.name())) {
        kept.add(r);
      }
    }
    if (!drop.isEmpty()) {
      throw new IllegalArgumentException("No rule is called " + drop + ". Pass names of rules()"
          + " of this set.");
    }
    return new RuleSet(kept);
  }

  /** Returns the rules, in order; an unmodifiable list. */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * Returns every step that computes {@code value}: for each rule in order, for each match of
   * its source whose condition holds, the target's call, kept when the routine {@link
   * LibraryOp#appliesTo applies}. Calls proposed twice are listed once. Deterministic.
   *
   * @throws IllegalStateException if a rule's routine does not compute the matched value
   */
  public List<Step> steps(MatrixExpr value) {
    requireNonNull(value, "value");
    List<Step> out = new ArrayList<>();
    // A call is its routine and inputs (they fix the outputs); expressions hash in O(1).
    Set<List<Object>> seen = new HashSet<>();
    Map<List<Object>, Integer> byInputs = new HashMap<>();
    for (Rule r : rules) {
      for (Bindings b : r.source().match(value)) {
        if (!r.condition().test(b)) {
          continue;
        }
        Rule.Call call = r.target().apply(b, value);
        if (call == null || !seen.add(List.of(call.op(), call.inputs()))
            || !call.op().appliesTo(call.inputs())) {
          continue;
        }
        List<MatrixExpr> outs = call.op().outputs(call.inputs());
        if (!outs.get(0).equals(value)) {
          throw new IllegalStateException(
              "Rule '" + r.name() + "' proposes " + call.op().describe() + call.inputs()
                  + ", which computes " + outs.get(0) + ", for " + value
                  + ". Fix the rule's target.");
        }
        addUnlessDominated(out, byInputs, new Step(r.name(), b, call.op(), call.inputs(), outs));
      }
    }
    out.removeIf(java.util.Objects::isNull);
    return out;
  }

  /**
   * Adds {@code s} unless a listed step reads the same inputs, produces the same outputs and
   * costs no more; drops a listed step that {@code s} beats that way (SYMM and GEMM of one
   * product). Such a twin can never make a cover cheaper. {@code byInputs} indexes the listed
   * steps by input set and outputs (a dropped one leaves null in {@code out}).
   */
  private static void addUnlessDominated(List<Step> out, Map<List<Object>, Integer> byInputs,
      Step s) {
    List<Object> key = List.of(new HashSet<>(s.inputs()), s.outputs());
    Integer i = byInputs.get(key);
    if (i != null) {
      if (out.get(i).cost() <= s.cost()) {
        return;
      }
      out.set(i, null);
    }
    byInputs.put(key, out.size());
    out.add(s);
  }

  // ------------------------------------------------------------------ the standard rules

  /**
   * The names of the standard rules that compute factorizations as values and read them:
   * without them ({@code standard().without(FACTORIZATION_RULES)}) every solve factorizes its
   * matrix anew, as GESV or POSV, or inverts it explicitly.
   */
  public static final List<String> FACTORIZATION_RULES =
      List.of("getrs", "potrf", "getrf", "syrk_inverse", "getrs_inverse");

  private static final RuleSet STANDARD = new RuleSet(standardRules());

  /** Returns the standard rules described above. */
  public static RuleSet standard() {
    return STANDARD;
  }

  private static List<Rule> standardRules() {
    List<Rule> rs = new ArrayList<>();
    boolean[] flags = {false, true};
    rs.add(Rule.of("symm_left", scaled("alpha", product(any("A"), any("B"))),
        x -> Facts.isSymmetric(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Symm(true, rows(v), cols(v), x.scalar("alpha")),
            x.matrix("A"), x.matrix("B"))));
    rs.add(Rule.of("symm_right", scaled("alpha", product(any("B"), any("A"))),
        x -> Facts.isSymmetric(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Symm(false, rows(v), cols(v), x.scalar("alpha")),
            x.matrix("A"), x.matrix("B"))));
    for (boolean ta : flags) {
      for (boolean tb : flags) {
        String suffix = (ta ? "t" : "n") + (tb ? "t" : "n");
        ExprPattern a = ta ? transpose(any("A")) : any("A");
        ExprPattern b = tb ? transpose(any("B")) : any("B");
        rs.add(Rule.of("gemm_" + suffix, scaled("alpha", product(a, b)), x -> true,
            (x, v) -> gemm(x, v, ta, tb, false)));
        rs.add(Rule.of("gemm_c_" + suffix,
            sum(scaled("alpha", product(a, b)), scaled("beta", any("C"))), x -> true,
            (x, v) -> gemm(x, v, ta, tb, true)));
      }
    }
    for (boolean trans : flags) {
      ExprPattern gram = trans ? product(transpose(any("A")), any("A"))
          : product(any("A"), transpose(any("A")));
      String suffix = trans ? "tn" : "nt";
      rs.add(Rule.of("syrk_" + suffix, scaled("alpha", gram), x -> true,
          (x, v) -> syrk(x, v, trans, false)));
      rs.add(Rule.of("syrk_c_" + suffix, sum(scaled("alpha", gram), scaled("beta", any("C"))),
          x -> Facts.isSymmetric(x.matrix("C")), (x, v) -> syrk(x, v, trans, true)));
    }
    rs.add(Rule.of("axpy", sum(scaled("alpha", any("X")), any("Y")), x -> true,
        (x, v) -> Rule.call(new LibraryOp.Axpy(rows(v), cols(v), x.scalar("alpha")),
            x.matrix("X"), x.matrix("Y"))));
    rs.add(Rule.of("scale", any("V"), x -> x.matrix("V") instanceof MatrixExpr.Scaled,
        (x, v) -> {
          MatrixExpr.Scaled s = (MatrixExpr.Scaled) v;
          return Rule.call(new LibraryOp.Axpy(rows(v), cols(v), s.factor()), s.expr(),
              MatrixExpr.zero(rows(v), cols(v)));
        }));
    rs.add(Rule.of("copy_transpose", any("V"),
        x -> x.matrix("V") instanceof MatrixExpr.Transpose,
        (x, v) -> Rule.call(new LibraryOp.Copy(rows(v), cols(v), true), v.t())));
    ExprPattern solve = product(inverse(any("A")), any("B"));
    rs.add(Rule.of("posv", solve, x -> Facts.isPositiveDefinite(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Posv(rows(v), cols(v)), x.matrix("A"), x.matrix("B"))));
    rs.add(Rule.of("potrs", solve, x -> Facts.isPositiveDefinite(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Potrs(rows(v), cols(v)),
            MatrixExpr.cholesky(x.matrix("A")), x.matrix("B"))));
    rs.add(Rule.of("gesv", solve, x -> true,
        (x, v) -> Rule.call(new LibraryOp.Gesv(rows(v), cols(v)), x.matrix("A"), x.matrix("B"))));
    rs.add(Rule.of("getrs", solve, x -> true,
        (x, v) -> Rule.call(new FactorOp.Getrs(rows(v), cols(v)), MatrixExpr.lu(x.matrix("A")),
            x.matrix("B"))));
    // Factorizations as values: what POTRS, GETRS and TRSM read, computed once for all of them.
    rs.add(Rule.of("potrf", any("V"), x -> isFactor(x.matrix("V"), Factor.Kind.CHOLESKY),
        (x, v) -> Rule.call(new FactorOp.Potrf(rows(v)), ((Factor) v).of())));
    rs.add(Rule.of("getrf", any("V"), x -> isFactor(x.matrix("V"), Factor.Kind.LU),
        (x, v) -> Rule.call(new FactorOp.Getrf(cols(v)), ((Factor) v).of())));
    // X^T A^-1 X = W^T W with W = U^-T X, U^T U = A: POTRF, TRSM and SYRK ("inverse splitting").
    rs.add(Rule.of("syrk_inverse",
        product(transpose(any("X")), product(inverse(any("A")), any("X"))),
        x -> Facts.isPositiveDefinite(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Syrk(true, rows(v), x.matrix("X").shape().rows(), 1, 0),
            MatrixExpr.cholesky(x.matrix("A")).t().inv().times(x.matrix("X")))));
    ExprPattern inv = inverse(any("A"));
    rs.add(Rule.of("posv_inverse", inv, x -> Facts.isPositiveDefinite(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Posv(rows(v), rows(v)), x.matrix("A"),
            MatrixExpr.identity(rows(v)))));
    rs.add(Rule.of("potrs_inverse", inv, x -> Facts.isPositiveDefinite(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Potrs(rows(v), rows(v)),
            MatrixExpr.cholesky(x.matrix("A")), MatrixExpr.identity(rows(v)))));
    rs.add(Rule.of("gesv_inverse", inv, x -> true,
        (x, v) -> Rule.call(new LibraryOp.Gesv(rows(v), rows(v)), x.matrix("A"),
            MatrixExpr.identity(rows(v)))));
    rs.add(Rule.of("getrs_inverse", inv, x -> true,
        (x, v) -> Rule.call(new FactorOp.Getrs(rows(v), rows(v)), MatrixExpr.lu(x.matrix("A")),
            MatrixExpr.identity(rows(v)))));
    rs.add(Rule.of("trsm_inverse", inv, x -> triangular(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Trsm(true, Facts.isLowerTriangular(x.matrix("A")),
            false, rows(v), rows(v), 1), x.matrix("A"), MatrixExpr.identity(rows(v)))));
    rs.add(Rule.of("trsm_left", scaled("alpha", solve), x -> triangular(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Trsm(true, Facts.isLowerTriangular(x.matrix("A")),
            false, rows(v), cols(v), x.scalar("alpha")), x.matrix("A"), x.matrix("B"))));
    rs.add(Rule.of("trsm_left_t",
        scaled("alpha", product(inverse(transpose(any("A"))), any("B"))),
        x -> (x.matrix("A").isLeaf() || x.matrix("A") instanceof Factor)
            && triangular(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Trsm(true, Facts.isLowerTriangular(x.matrix("A")),
            true, rows(v), cols(v), x.scalar("alpha")), x.matrix("A"), x.matrix("B"))));
    rs.add(Rule.of("trsm_right", scaled("alpha", product(any("B"), inverse(any("A")))),
        x -> triangular(x.matrix("A")),
        (x, v) -> Rule.call(new LibraryOp.Trsm(false, Facts.isLowerTriangular(x.matrix("A")),
            false, rows(v), cols(v), x.scalar("alpha")), x.matrix("A"), x.matrix("B"))));
    return rs;
  }

  private static boolean isFactor(MatrixExpr v, Factor.Kind kind) {
    return v instanceof Factor f && f.kind() == kind;
  }

  private static boolean triangular(MatrixExpr a) {
    return Facts.isLowerTriangular(a) || Facts.isUpperTriangular(a);
  }

  private static Rule.Call gemm(Bindings x, MatrixExpr v, boolean ta, boolean tb, boolean withC) {
    MatrixExpr a = x.matrix("A");
    MatrixExpr b = x.matrix("B");
    if (a instanceof MatrixExpr.Transpose || b instanceof MatrixExpr.Transpose) {
      return null; // the variant with the other transpose flag reads the leaf itself
    }
    int k = ta ? a.shape().rows() : a.shape().cols();
    double beta = withC ? x.scalar("beta") : 0;
    LibraryOp.Gemm op = new LibraryOp.Gemm(ta, tb, rows(v), cols(v), k, x.scalar("alpha"), beta);
    return withC ? Rule.call(op, a, b, x.matrix("C")) : Rule.call(op, a, b);
  }

  private static Rule.Call syrk(Bindings x, MatrixExpr v, boolean trans, boolean withC) {
    MatrixExpr a = x.matrix("A");
    if (a instanceof MatrixExpr.Transpose) {
      return null; // the other variant reads the leaf itself
    }
    int k = trans ? a.shape().rows() : a.shape().cols();
    double beta = withC ? x.scalar("beta") : 0;
    LibraryOp.Syrk op = new LibraryOp.Syrk(trans, rows(v), k, x.scalar("alpha"), beta);
    return withC ? Rule.call(op, a, x.matrix("C")) : Rule.call(op, a);
  }

  private static int rows(MatrixExpr v) {
    return v.shape().rows();
  }

  private static int cols(MatrixExpr v) {
    return v.shape().cols();
  }
}
