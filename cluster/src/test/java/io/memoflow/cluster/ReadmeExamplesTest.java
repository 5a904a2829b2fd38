package io.memoflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.memoflow.cache.CallResult;
import io.memoflow.cache.Op;
import io.memoflow.cache.Ref;
import io.memoflow.cache.Session;
import io.memoflow.cache.Storage;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippets of cluster/README.md, run as written. */
class ReadmeExamplesTest {
  @TempDir Path tmp;

  @Test
  void twoMembers_shareOneStore() {
    String lab = "lab-" + UUID.randomUUID();
    Path dir = tmp.resolve("a");
    Path otherDir = tmp.resolve("b");
    Op inc = Op.of("inc", (Long x) -> x + 1);

    ClusterOptions options = ClusterOptions.defaults()
        .clusterName(lab)                       // members join only their own cluster
        .members("127.0.0.1")                  // TCP-IP join; a host alone: ports 5701-5720
        .backupCount(1);                        // one member may be lost without loss
    try (ClusterMember a = ClusterMember.start(options.localStore(dir));
         ClusterMember b = ClusterMember.start(options.localStore(otherDir))) {
      try (Storage storage = a.storage(); Session s = storage.session()) {
        Ref<Long> two = inc.call(1L);           // computed on a, once in the whole cluster
      }
      try (Storage storage = b.storage(); Session s = storage.session()) {
        Ref<Long> two = inc.call(1L);           // retraced on b: nothing runs
        assertEquals(2L, two.value());
        assertEquals(CallResult.Source.RETRACED, s.callPositional(inc, 1L).source());
      }
      assertEquals(2, a.clusterSize());
    }
  }
}
