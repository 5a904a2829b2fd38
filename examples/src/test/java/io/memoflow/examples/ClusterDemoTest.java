package io.memoflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoflow.cache.Storage;
import io.memoflow.cache.spi.StoreCheck;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memoflow demo --cluster 3}: three members on 127.0.0.1 (this JVM and two member JVMs),
 * the study's points spread over them; a second run, on fresh members, is all hits.
 */
class ClusterDemoTest {
  @TempDir Path tmp;

  private MemoflowCliTest.Outcome demo(Path dir) {
    return MemoflowCliTest.run("demo", "--cluster", "3", "--store", dir.toString(),
        "--lambdas", "0.1,1,10", "--seeds", "2", "--rows", "20", "--features", "5");
  }

  @Test
  void threeMembers_shareTheSweep_andASecondRunIsAllHits() {
    Path dir = tmp.resolve("cluster");
    MemoflowCliTest.Outcome first = demo(dir);
    assertEquals(0, first.code(), first.err() + first.out());
    assertTrue(first.out().contains(": 3 members on 127.0.0.1"), first.out());
    Set<String> computedBy = new HashSet<>();
    Matcher m = Pattern.compile("(127\\.0\\.0\\.1:\\d+): computed").matcher(first.out());
    while (m.find()) {
      computedBy.add(m.group(1));
    }
    assertTrue(computedBy.size() >= 2, "members that computed points: " + computedBy + "\n"
        + first.out());
    assertTrue(first.out().contains("6 points: computed on "), first.out());
    for (int i = 1; i <= 3; i++) {
      // Each member's local store is whole on its own: it holds the values its calls read that
      // other members made, so verify finds nothing lost (and repair would drop nothing).
      StoreCheck check = Storage.verify(dir.resolve("member-" + i));
      assertTrue(check.isWhole(), "member-" + i + "'s local store: " + check.damage());
    }
    MemoflowCliTest.Outcome second = demo(dir);
    assertEquals(0, second.code(), second.err() + second.out());
    assertTrue(second.out().contains("All 6 points were hits: nothing was computed, on any member."),
        second.out());
    assertFalse(second.out().contains(": computed"), second.out());
  }

  @Test
  void aClusterOfTen_isRefusedSayingWhy() {
    MemoflowCliTest.Outcome o = MemoflowCliTest.run("demo", "--cluster", "10", "--store",
        tmp.resolve("x").toString());
    assertEquals(MemoflowCli.USAGE, o.code(), o.err());
    assertTrue(o.err().contains("--cluster 10 is not 1..9 members"), o.err());
  }
}
