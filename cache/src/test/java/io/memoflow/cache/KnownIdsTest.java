package io.memoflow.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins ids computed by earlier builds: stores written by them must keep retracing, so a faster
 * encoding or hashing path must give exactly these bytes and digests.
 */
class KnownIdsTest {
  private static final Op ADD = Op.builder("add").version("1").inputs("x", "y")
      .function(a -> (Integer) a[0] + (Integer) a[1]).build();
  private static final Op INC = Op.builder("inc").version("1").inputs("x")
      .function(a -> (Integer) a[0] + 1).build();
  private static final Op SEE = Op.builder("see").version("1").inputs("x")
      .function(a -> 0).build();
  private static final Op PAIR = Op.builder("pair").version("2").inputs("a", "b", "note")
      .ignored("note").outputs("first", "second")
      .function(a -> List.of(a[0], a[1])).build();

  /** Values covering every built-in scalar tag and the collections. */
  static Map<String, Object> values() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("int 1", 1);
    m.put("int -7", -7);
    m.put("int max", Integer.MAX_VALUE);
    m.put("int min", Integer.MIN_VALUE);
    m.put("long 1", 1L);
    m.put("long min", Long.MIN_VALUE);
    m.put("double 1", 1.0);
    m.put("double 0.1", 0.1);
    m.put("double -0", -0.0);
    m.put("double 1e300", 1e300);
    m.put("double 1e-7", 1e-7);
    m.put("double NaN", Double.NaN);
    m.put("double -inf", Double.NEGATIVE_INFINITY);
    m.put("float 2.5", 2.5f);
    m.put("boolean true", true);
    m.put("boolean false", false);
    m.put("short 3", (short) 3);
    m.put("byte -4", (byte) -4);
    m.put("char c", 'c');
    m.put("string", "memo");
    m.put("string empty", "");
    m.put("string escapes", "a\"b\\c\n\u0001é€😀");
    m.put("big integer", new BigInteger("123456789012345678901234567890"));
    m.put("big decimal", new BigDecimal("-1.250"));
    m.put("null", null);
    m.put("int[]", new int[] {1, -2, 3});
    m.put("long[]", new long[] {Long.MAX_VALUE, 0});
    m.put("double[]", new double[] {0.5, Double.NaN});
    m.put("byte[]", new byte[] {0, 1, -1});
    m.put("list", Arrays.asList(1, "a", null, 2L));
    m.put("set", Set.of("b", "a", 3));
    m.put("map", new TreeMap<>(Map.of("k", 1.5, "j", List.of(true))));
    return m;
  }

  static final Map<String, String> VALUE_IDS = new LinkedHashMap<>();
  static {
    VALUE_IDS.put("int 1", "b3aa2c7c946047a9dbeadfc0dc668091 1bb25081d5d697a76f1d28e50ab91652");
    VALUE_IDS.put("int -7", "b845ca5679f0acc770cd266eb009ca82 d714b566f63932fe793ee77b1d211cdf");
    VALUE_IDS.put("int max", "6293dc9f2a6c49dcd75cd9601e71caff 4d78978a506b7b462ba8904da2e35a70");
    VALUE_IDS.put("int min", "dd07dd579153f607cc1ee385b3133c85 554ca17d898e5e8bd73dbcadfcafe7ba");
    VALUE_IDS.put("long 1", "52604c8dc6f281c1a43cd359afe970b0 6b875f5723a54d4ef11c0a4c2f5c3c73");
    VALUE_IDS.put("long min", "e91f968b90b138043ac07945c9682dd6 b6198fe3405d999d08c5cd95b9118b73");
    VALUE_IDS.put("double 1", "1400ab602e73d2fa84214b395d680db8 d93692c15c857c12b24a28ff496945b5");
    VALUE_IDS.put("double 0.1", "a1f254c049abbbc9e117428160c28876 c23a16f576fa66f324fa2b18af39bab7");
    VALUE_IDS.put("double -0", "1e00fd5184370b6cc63146d80e7c1aec 37c40275cb7aaa5ec516423120a4d75f");
    VALUE_IDS.put("double 1e300", "63781978cd867acd826da308a547a885 2f67179c54c6b315a6f37dfef2478517");
    VALUE_IDS.put("double 1e-7", "71742a586bb40ccc017d30c345eadf0e 0b7a2244fc805ef3e11878e4326dd7b0");
    VALUE_IDS.put("double NaN", "c8f7372c65500b50fc308b381f382244 5488b1ce69c81b799d2e3b353fd779b5");
    VALUE_IDS.put("double -inf", "50ccbc89fa4db7434cd2eef8a5597ccd 1ef7586e612421f529ec8911e7c30c86");
    VALUE_IDS.put("float 2.5", "9f19708e14fe6c34cfd5148a0e91b9f1 a6d18e1acd823acf7351e7bb0eac502e");
    VALUE_IDS.put("boolean true", "35f4b2c1622059aef76f248e1fdf79cb 0999ab71224a8107bfc9034ab00abcee");
    VALUE_IDS.put("boolean false", "499322b897c739ac7e238eafbf0a27fe e0d57028716bffeb27045a63f292da35");
    VALUE_IDS.put("short 3", "aab5cdbf2b35304490d486bda0e70af0 cc933962e2ddeacdb905c1a35e665c62");
    VALUE_IDS.put("byte -4", "ac2fa21c3df965ace37dbf9edf60a305 414890c5c61ab093ee381f63278515be");
    VALUE_IDS.put("char c", "56edd4c308b0f5a0da6f23f67991759b b47f12bc9a008fa4fccefdfcc4923a85");
    VALUE_IDS.put("string", "fc67c8afacbe2c162b6e1e69d1defce7 eec7c413f30b70b04044ef93569fb266");
    VALUE_IDS.put("string empty", "f2f80cbb629990c67638bc4e9eba0055 80081a1413a79e7deccba5574926bf0b");
    VALUE_IDS.put("string escapes", "b99cf0e9b92e290831d1bc2f4cb9b791 43366c822df345c05b21af9549af81b3");
    VALUE_IDS.put("big integer", "a448afde7160ef22280f89eef3e58ff0 071640af3f08bac2324ccfd749f419ad");
    VALUE_IDS.put("big decimal", "6c86031bd50222245d9ec2d316d47a5d 43a3f4128534e35c2d4ac8d06cc74854");
    VALUE_IDS.put("null", "1057f44ddce9fbf3eaed3d25431d919a 12db588a0cd9180e8adb53b1f61f2c38");
    VALUE_IDS.put("int[]", "9162a49f0b55dfdb3170e1573290677d 18e9433b8b6f40dbb94e8f6018ecfe65");
    VALUE_IDS.put("long[]", "f13681a891488c4e26296a02e0dbbe97 d0078d28919e7105c0bf82a0bab5865b");
    VALUE_IDS.put("double[]", "f5269cfbed9eb4250f44dabab7d47fd1 7aaf84a39b877838bca64204105f4abb");
    VALUE_IDS.put("byte[]", "0c5d6341a649fbb2fe1af7ac7eaf8ffc f093904404b06c786e6dab47677d03d4");
    VALUE_IDS.put("list", "f76a7a4cfa5b18c6786ef9fc263e0033 b1b7a1ae61f459199c9e504f0dcab4a9");
    VALUE_IDS.put("set", "6de12541f65f8b5319de86e545bfbcb8 f491e504b149dd9f8d5cbecf13318400");
    VALUE_IDS.put("map", "f6bca830a042dca3c4d839dce0ad85ce 2fa8e39afa2e12d74a1073589b50a904");
  }

  @Test
  void valueIds_areThoseOfEarlierBuilds() {
    Map<String, String> actual = new LinkedHashMap<>();
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      values().forEach((name, v) -> {
        Ref<?> r = SEE.invoke(v).inputs().get("x");
        actual.put(name, r.contentId().hex() + " " + r.historyId().hex());
      });
    }
    assertEquals(VALUE_IDS, actual);
  }

  @Test
  void callIds_areThoseOfEarlierBuilds() {
    List<String> actual = new ArrayList<>();
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Call add = ADD.invoke(1, 2);
      Call inc = INC.invoke(INC.call(1));
      Call pair = PAIR.invoke(add.output("output_0"), 7L, "ignored");
      for (Call c : List.of(add, inc, pair)) {
        actual.add(c.op() + " call " + c.contentId().hex() + " " + c.historyId().hex());
        c.outputs().forEach((n, r) -> actual.add(c.op() + " " + n + " "
            + r.contentId().hex() + " " + r.historyId().hex()));
      }
    }
    assertEquals(CALL_IDS, actual);
  }

  static final List<String> CALL_IDS = List.of(
      "add call bffffd80a793e532df9f61f42e7bd831 983557ead2eba9328138c5f76d4c5dc8",
      "add output_0 b9bcbec311b0bf6d73ad0c3e177aca58 8dea733ff6248f73b96524853d9abaa8",
      "inc call 5c71f1719cada0ba26d22502df3ead1a b180e1fd6e2b10dfef7e946e50d55255",
      "inc output_0 b9bcbec311b0bf6d73ad0c3e177aca58 ee2e769f164032e62e6d931ba9b52a6c",
      "pair call 982ee4401886342c11d97a6f2353ebca 0f8588eafbaf4c337eb55afda4799b8b",
      "pair first b9bcbec311b0bf6d73ad0c3e177aca58 5779467ab548348a94ea1de49546aba5",
      "pair second 9f1b5fb3a2867db512ed573df24006d4 8eb210b063a03c5f1a48ae3d00211b72"
  );

  /** Collections element by element and their elements: pinned before they moved to Structures. */
  @Test
  void structuralCallIds_areThoseOfEarlierBuilds() {
    List<String> actual = new ArrayList<>();
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<List<Integer>> list = s.list(List.of(1, INC.call(1), 3));
      Ref<Map<String, Integer>> map = s.map(new TreeMap<>(Map.of("b", 2, "a", INC.call(1))));
      Ref<Set<Integer>> set = s.set(Set.of(5, 4));
      Ref<List<Object>> returned = Op.builder("three").version("1").inputs()
          .function(a -> List.of(1, 2, 3)).build().call();
      List<Ref<Object>> items = s.elements(returned);
      for (Ref<?> r : List.of(list, map, set, items.get(0), items.get(2))) {
        Call c = storage.creator(r).orElseThrow();
        actual.add(c.op() + " call " + c.contentId().hex() + " " + c.historyId().hex()
            + " output " + r.contentId().hex() + " " + r.historyId().hex());
      }
    }
    assertEquals(STRUCTURAL_IDS, actual);
  }

  static final List<String> STRUCTURAL_IDS = List.of(
      "__list__ call 35f54f62773407a7d0ce224d607664a1 d281d90a0a1d19f7f43fd9faa1657af4"
          + " output 5101fb4733bfb367bac40f482528bb09 ccda8187bf9543f92d47bc1fc481293f",
      "__map__ call b6a023243bf991eb4039611632398964 0576a8203c2cd9aaebaaf6b76b49bb22"
          + " output 97be3a02b5f3832151fbe33ada209f75 77ff747164696d32fbf42fa884dc1e71",
      "__set__ call b23f5f3336d7a0d129359f6e20ba73c7 f1b997a6c2cf15ff25a43b789f197cf3"
          + " output 6c81726b16b7e259954c1286bf22d7a2 5f313775af9e0ab48edba4d709dd8c04",
      "__item__ call 05ddd1268b20341ca41e7e6554217d07 c3251825e6f801ceb16b67fff908d1a6"
          + " output b3aa2c7c946047a9dbeadfc0dc668091 bca632e83e2ae0144fa536a95985ec3a",
      "__item__ call 7a485f1a1904d38aba2e7bbb34a45183 0d17d8adc3709629d585a28c47ab577c"
          + " output b9bcbec311b0bf6d73ad0c3e177aca58 27b46bfb2bac03c48983b64510521bac"
  );

  /** A named value's history id is its name's and revision's: pinned, so names keep retracing. */
  @Test
  void namedValueIds_stayTheSame() {
    try (Storage storage = Storage.inMemory(); Session s = storage.session()) {
      Ref<Object> v = s.named("data", () -> List.of(1, 2));
      assertEquals(Ref.of(List.of(1, 2)).contentId(), v.contentId(), "its content: its bytes' hash");
      assertEquals(NAMED_HID, v.historyId().hex());
    }
  }

  static final String NAMED_HID = "bf989f45c0d71b381ed40c8592490ca3";
}
