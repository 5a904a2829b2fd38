package io.memoflow.cache.internal;

import java.util.zip.CRC32C;

/**
 * The CRC32C that ends every call record and name of a store (format 3): it turns a damaged
 * byte into an error at the read instead of another call. Values need none, as their content
 * id is the hash of their bytes. Not API; may change without notice.
 */
final class Checksums {
  /** The bytes a checksum takes at the end of a record. */
  static final int SIZE = 4;

  private Checksums() {}

  /** The checksum of the key {@code (hi, lo)} followed by {@code bytes[0, length)}. */
  static int of(long hi, long lo, byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    for (int i = 56; i >= 0; i -= 8) {
      crc.update((int) (hi >>> i));
    }
    for (int i = 56; i >= 0; i -= 8) {
      crc.update((int) (lo >>> i));
    }
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  /** Whether {@code record} ends with the checksum of the key and the bytes before it. */
  static boolean matches(long hi, long lo, byte[] record) {
    int n = record.length - SIZE;
    if (n < 0) {
      return false;
    }
    int stored = (record[n] & 0xFF) << 24 | (record[n + 1] & 0xFF) << 16
        | (record[n + 2] & 0xFF) << 8 | (record[n + 3] & 0xFF);
    return stored == of(hi, lo, record, n);
  }
}
