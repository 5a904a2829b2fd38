package io.memoflow.cache;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The refs of a call's inputs or outputs by name, in the op's order: an immutable map over the
 * op's name list and an array, so a call costs two small objects here instead of a linked hash
 * map with an entry per name. Lookups scan the names (a call has a handful). Equal to any map
 * with the same entries.
 */
final class NamedRefs extends AbstractMap<String, Ref<?>> {
  private final List<String> names;
  private final Ref<?>[] refs;

  /** Takes {@code refs} without copying; the caller hands it over. */
  NamedRefs(List<String> names, Ref<?>[] refs) {
    if (names.size() != refs.length) {
      throw new IllegalArgumentException(names.size() + " names for " + refs.length + " refs");
    }
    this.names = names;
    this.refs = refs;
  }

  @Override
  public Ref<?> get(Object name) {
    for (int i = 0; i < refs.length; i++) {
      if (names.get(i).equals(name)) {
        return refs[i];
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object name) {
    return names.contains(name);
  }

  @Override
  public int size() {
    return refs.length;
  }

  @Override
  public Set<Map.Entry<String, Ref<?>>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Ref<?>>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < refs.length;
          }

          @Override
          public Map.Entry<String, Ref<?>> next() {
            if (i >= refs.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Ref<?>> e = new SimpleImmutableEntry<>(names.get(i), refs[i]);
            i++;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return refs.length;
      }
    };
  }
}
