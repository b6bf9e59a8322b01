package dev.pixivdic.bigquery.internal;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/** SHA-256 prefixes for job ids. */
public final class Hashes {

  private Hashes() {}

  /** The first 32 hex digits (128 bits) of SHA-256 over the parts, each followed by a newline. */
  public static String of(String prefix, byte[] content) {
    Hasher h = Hashing.sha256().newHasher();
    h.putString(prefix, StandardCharsets.UTF_8).putByte((byte) '\n').putBytes(content);
    return h.hash().toString().substring(0, 32);
  }
}
