package io.memoflow.matrix;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Predicate;

/**
 * A rewrite rule: a {@link ExprPattern source pattern}, a condition over the assumptions of what it
 * binds, and a target that turns the bindings into a call of a {@link LibraryOp}:
 *
 * <pre>{@code
 * Rule posv = Rule.of("posv",
 *     ExprPattern.product(ExprPattern.inverse(ExprPattern.any("A")), ExprPattern.any("B")),
 *     b -> Facts.isPositiveDefinite(b.matrix("A")),
 *     (b, value) -> Rule.call(new LibraryOp.Posv(value.shape().rows(), value.shape().cols()),
 *         b.matrix("A"), b.matrix("B")));
 * }</pre>
 *
 * <p>The target's routine must compute the matched value as its first output ({@link
 * LibraryOp#outputs}); {@link RuleSet#steps} checks this and also the routine's own {@link
 * LibraryOp#appliesTo condition}. Immutable and thread-safe if the lambdas are.
 */
public final class Rule {
  private final String name;
  private final ExprPattern source;
  private final Predicate<Bindings> condition;
  private final Target target;

  /** Turns the bindings of a match into a call, or returns null to decline. */
  @FunctionalInterface
  public interface Target {
    /** Returns the call computing {@code value}, or null if this match is not handled. */
    Call apply(Bindings bindings, MatrixExpr value);
  }

  /**
   * A routine applied to input expressions.
   *
   * @param op the routine
   * @param inputs its inputs, one per {@link LibraryOp#inputNames() input name}
   */
  public record Call(LibraryOp op, List<MatrixExpr> inputs) {
    /** @throws NullPointerException if a part is null */
    public Call {
      requireNonNull(op, "op");
      inputs = List.copyOf(inputs);
    }
  }

  private Rule(String name, ExprPattern source, Predicate<Bindings> condition, Target target) {
    this.name = requireNonNull(name, "name");
    this.source = requireNonNull(source, "source");
    this.condition = requireNonNull(condition, "condition");
    this.target = requireNonNull(target, "target");
  }

  /** Returns the rule {@code name}: when {@code source} matches and {@code condition} holds, {@code target}. */
  public static Rule of(
      String name, ExprPattern source, Predicate<Bindings> condition, Target target) {
    return new Rule(name, source, condition, target);
  }

  /** Returns the call of {@code op} on {@code inputs}. */
  public static Call call(LibraryOp op, MatrixExpr... inputs) {
    return new Call(op, List.of(inputs));
  }

  /** Returns the name. */
  public String name() {
    return name;
  }

  /** Returns the source pattern. */
  public ExprPattern source() {
    return source;
  }

  /** Returns the condition over the bindings. */
  public Predicate<Bindings> condition() {
    return condition;
  }

  /** Returns the target. */
  public Target target() {
    return target;
  }

  @Override
  public String toString() {
    return name + ": " + source;
  }
}
