package io.memoflow.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A batch of sweep points sent to the member that runs them: it finds the sweep registered
 * there under its name and runs the points through that member's engine. Points and results
 * travel as names and plain values (what every member's code can read back).
 */
public final class PointBatch implements Callable<List<PointBatch.Row>>, HazelcastInstanceAware,
    Serializable {
  private static final long serialVersionUID = 1L;

  /** What one member runs for a sweep name: points in, rows out (in order). */
  public interface Runner extends Function<List<Map<String, Object>>, List<Row>> {}

  /** The sweeps registered in this JVM, by member id and sweep name. */
  private static final Map<String, Runner> REGISTERED = new ConcurrentHashMap<>();

  /**
   * One point's result: its outputs in the composite's output order, or its error, and the
   * operations of the nodes the member computed for it (none: every node was retraced).
   *
   * @param outputs the values, or null if the point failed
   * @param error the failure as {@code class: message}, or null
   * @param computed the operation names of the nodes computed, in the order they completed
   */
  public record Row(List<Object> outputs, String error, List<String> computed)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final String sweep;
  private final List<Map<String, Object>> points;
  private transient HazelcastInstance hz;

  /** A batch of {@code points} of the sweep named {@code sweep}. */
  public PointBatch(String sweep, List<Map<String, Object>> points) {
    this.sweep = sweep;
    this.points = new ArrayList<>(points);
  }

  /** Registers {@code runner} for the sweep {@code name} on the member {@code hz}. */
  public static void register(HazelcastInstance hz, String name, Runner runner) {
    REGISTERED.put(key(hz, name), runner);
  }

  /** Unregisters the sweep {@code name} on the member {@code hz}. */
  public static void unregister(HazelcastInstance hz, String name) {
    REGISTERED.remove(key(hz, name));
  }

  private static String key(HazelcastInstance hz, String name) {
    return hz.getCluster().getLocalMember().getUuid() + "/" + name;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hz) {
    this.hz = hz;
  }

  @Override
  public List<Row> call() {
    Runner runner = REGISTERED.get(key(hz, sweep));
    if (runner == null) {
      throw new IllegalStateException("Sweep '" + sweep + "' is not registered on member "
          + hz.getCluster().getLocalMember().getAddress() + ": register it with"
          + " ClusterSweeps.register on every member that should run its points.");
    }
    return runner.apply(points);
  }
}
