package io.memoflow.inplace;

import io.memoflow.dag.Computation;
import io.memoflow.dag.Expr;

/** The templates of the module's user-facing messages, kept together so tests can match them. */
final class Messages {
  private Messages() {}

  static String notDonatable(Expr e, boolean isVariable) {
    return "Cannot donate " + e + ": "
        + (isVariable ? "it is produced inside the composite" : "it is not a variable of the composite")
        + ". Donate only graph inputs (composite.inputs()) whose buffers the plan may overwrite.";
  }

  static String donatedRequested(Expr e) {
    return "Cannot donate " + e + ": it is also a requested output, which must survive the plan."
        + " Stop requesting it or do not donate it.";
  }

  static String badOverwrite(Computation c, int output, int input) {
    return "Operation '" + c.operation().name() + "' declares output " + output + " over input "
        + input + ", but it has " + c.outputs().size() + " outputs and " + c.inputs().size()
        + " inputs. Fix its overwrites() to map output indices to input indices.";
  }

  static String twoOverwrites(Computation c, int input) {
    return "Operation '" + c.operation().name() + "' declares two outputs over input " + input
        + " (" + c.inputs().get(input) + "). Let at most one output overwrite each input.";
  }

  static String sizeConflict(Expr v, long bytes, Computation reader, int operand, long other) {
    return "Variable " + v + " has " + bytes + " bytes by one computation but '"
        + reader.operation().name() + "' (input " + operand + ") reads " + other
        + " bytes. Make the BufferOperation lengths agree or pass a size function to the planner.";
  }

  static String negativeSize(Expr v, long bytes) {
    return "The size function gives " + bytes + " bytes for " + v
        + ". Return a size of at least 0 bytes for every variable.";
  }

  static String noSize(Expr v, Computation producer) {
    return "No size for variable " + v + ": "
        + (producer == null
            ? "no BufferOperation reads it"
            : "its producer '" + producer.operation().name() + "' is not an BufferOperation")
        + ". Pass sizes(...) to BufferPlanner.builder() or use BufferOperation operations.";
  }

  static String notInComposite(Computation c) {
    return "The order holds " + c + ", which is not a computation of the composite."
        + " Order exactly the composite's computations.";
  }

  static String orderSize(int given, int expected) {
    return "The order has " + given + " computations but the composite has " + expected
        + " (or one is repeated). Order each computation exactly once.";
  }

  static String noBuffer(Expr v) {
    return "Variable " + v + " has no buffer. Name a buffer for every variable (composite.variables()).";
  }

  static String overwrittenBeforeRead(
      Expr v, Buffer b, int writeStep, Computation writer, int readStep, Computation reader) {
    return "Unsafe plan: value " + v + " in buffer " + b + " is overwritten by step " + writeStep
        + " (" + writer + ") before step " + readStep + " (" + reader + ") reads it."
        + " Order the reader first, or give one of the two values another buffer.";
  }

  static String overwritesProtected(Expr v, Buffer b, int writeStep, Computation writer, boolean input) {
    return "Unsafe plan: " + (input ? "graph input " : "requested output ") + v + " in buffer " + b
        + " is overwritten by step " + writeStep + " (" + writer + "), but it must survive the plan."
        + (input ? " Donate it to the planner or give the writer another buffer."
                 : " Give the writer another buffer.");
  }

  static String undeclaredAlias(Expr v, Buffer b, int step, Computation c, Expr result) {
    return "Unsafe plan: step " + step + " (" + c + ") writes " + result + " into buffer " + b
        + " while it reads " + v + " from it, but the operation does not declare that output over"
        + " that input (or reads it twice). Give " + result + " another buffer.";
  }

  static String readBeforeWrite(Expr v, Buffer b, int step, Computation reader, Computation producer) {
    return "Unsafe plan: step " + step + " (" + reader + ") reads " + v + " from buffer " + b
        + " before its producer (" + producer + ") runs. Order the producer first.";
  }

  static String twoOutputsOneBuffer(Buffer b, int step, Computation c) {
    return "Unsafe plan: step " + step + " (" + c + ") writes two outputs into buffer " + b
        + ". Give each output its own buffer.";
  }

  static String inputsShareBuffer(Expr a, Expr b, Buffer buf) {
    return "Unsafe plan: graph inputs " + a + " and " + b + " share buffer " + buf
        + ". Give each graph input its own buffer.";
  }

  static String notExecutable(Computation c) {
    return "Cannot execute " + c + ": operation '" + c.operation().name()
        + "' is not an io.memoflow.dag.BufferOperation. Plan only BufferOperation operations to run them.";
  }

  static String missingInput(Expr v) {
    return "No array for graph input " + v + ". Pass one array per graph input (plan.composite().inputs()).";
  }

  static String shortInput(Expr v, int given, int needed) {
    return "The array for graph input " + v + " holds " + given + " doubles but the plan needs "
        + needed + ". Pass an array of the size the operations read.";
  }
}
