package io.memoflow.cache;

import static io.memoflow.cache.CallResult.Source.EXECUTED;
import static io.memoflow.cache.CallResult.Source.RETRACED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.version.EditableCode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dynamic dependency tracking through interfaces: an op calls a model chosen at run time; each
 * call records the implementation method that actually ran ({@link Tracked#of(Class, Object)}),
 * so editing one implementation makes exactly the calls that ran it stale. Each "edit" is the
 * program compiled anew and loaded in a fresh class loader, as a new run of an edited program.
 */
class DispatchTrackingTest {
  static final String MODELS = """
      package edits3;
      import io.memoflow.cache.*;
      import java.util.Map;
      public class Models {
        public interface Model { int fit(int x); }
        public static class Linear implements Model {
          public int fit(int x) { return x * ${linear}; }
        }
        public static class Square implements Model {
          public int fit(int x) { return x * x + ${square}; }
        }
        public static final Map<String, Model> TRACKED = Map.of(
            "linear", Tracked.of(Model.class, new Linear()),
            "square", Tracked.of(Model.class, new Square()));
        public static final Map<String, Model> PLAIN = Map.of("linear", new Linear(), "square", new Square());
        public static final Op FIT = Op.builder("fit").inputs("model", "x")
            .function(a -> TRACKED.get((String) a[0]).fit((Integer) a[1])).build();
        public static final Op FIT_UNTRACKED = Op.builder("fitUntracked").inputs("model", "x")
            .function(a -> PLAIN.get((String) a[0]).fit((Integer) a[1])).build();
      }
      """;

  static Class<?> program(String linear, String square) {
    Map<String, String> slots = new HashMap<>(Map.of("linear", linear, "square", square));
    String src = MODELS;
    for (var e : slots.entrySet()) {
      src = src.replace("${" + e.getKey() + "}", e.getValue());
    }
    try {
      return EditableCode.loader(EditableCode.compile(src)).loadClass("edits3.Models");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  static Op op(Class<?> program, String field) {
    try {
      return (Op) program.getField(field).get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  Storage storage;

  @BeforeEach
  void open() {
    storage = Storage.inMemory();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private CallResult run(Class<?> program, String field, String model, int x) {
    try (Session s = storage.session()) {
      CallResult r = s.callPositional(op(program, field), model, x);
      r.call().outputs().values().iterator().next().value();
      return r;
    }
  }

  @Test
  void editingOneImplementation_makesExactlyTheCallsThatRanItStale() {
    Class<?> v1 = program("2", "1");
    assertEquals(EXECUTED, run(v1, "FIT", "linear", 3).source());
    assertEquals(EXECUTED, run(v1, "FIT", "square", 3).source());
    Class<?> again = program("2", "1");
    assertEquals(RETRACED, run(again, "FIT", "linear", 3).source(), "the same code, a new run");
    assertEquals(RETRACED, run(again, "FIT", "square", 3).source());

    Class<?> editedLinear = program("5", "1");
    CallResult linear = run(editedLinear, "FIT", "linear", 3);
    assertEquals(EXECUTED, linear.source(), "it ran Linear.fit, which changed");
    assertEquals(15, linear.call().output("output_0").value());
    assertEquals(RETRACED, run(editedLinear, "FIT", "square", 3).source(), "it never ran Linear.fit");
    assertTrue(linear.call().version().contains(Call.DEPS_SEPARATOR), linear.call().version());

    Class<?> reverted = program("2", "1");
    assertEquals(RETRACED, run(reverted, "FIT", "linear", 3).source(), "reverting finds the earlier call");
  }

  @Test
  void withoutTracking_theEditIsNotSeen() {
    // What Tracked.of is for: static versioning stops at the interface.
    assertEquals(EXECUTED, run(program("2", "1"), "FIT_UNTRACKED", "linear", 3).source());
    assertEquals(RETRACED, run(program("5", "1"), "FIT_UNTRACKED", "linear", 3).source());
  }

  interface Shape {
    double area(double r);
  }

  static final class Circle implements Shape {
    @Override
    public double area(double r) {
      return Math.PI * r * r;
    }
  }

  @Test
  void aTrackedView_behavesAsItsImplementation() {
    Shape s = Tracked.of(Shape.class, new Circle());
    assertEquals(Math.PI, s.area(1));
    assertTrue(s.toString().contains("Circle"), "Object's methods go to the implementation: " + s);
    Fn1<Integer, Integer> named = Tracked.of("twice", Fn1.class, (Fn1<Integer, Integer>) x -> 2 * x);
    Op twice = Op.builder("twiceOp").inputs("x").function(a -> named.apply((Integer) a[0])).build();
    try (Session session = storage.session()) {
      Call c = twice.invoke(4);
      assertEquals(8, c.output("output_0").value());
      assertTrue(c.version().contains(Call.DEPS_SEPARATOR), "the named helper was recorded: " + c.version());
    }
  }

  @Test
  void badViews_sayWhatToDo() {
    IllegalArgumentException cls = assertThrows(IllegalArgumentException.class,
        () -> Tracked.of(Circle.class, new Circle()));
    assertTrue(cls.getMessage().contains("needs an interface"), cls.getMessage());
    IllegalArgumentException lambda = assertThrows(IllegalArgumentException.class,
        () -> Tracked.of(Shape.class, r -> r));
    assertTrue(lambda.getMessage().contains("Name it: Tracked.of(\"name\", Shape.class, implementation)"),
        lambda.getMessage());
  }
}
