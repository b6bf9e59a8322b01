package dev.pixivdic.core.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that writes part of a buffer and then fails, as a full disk does, once armed.
 * Everything else goes to a real channel.
 */
final class FailingFileChannel extends FileChannel {
  private final FileChannel delegate;
  private int bytesBeforeFailure = -1;
  private String failure = "No space left on device";
  private boolean failTruncate;
  private String truncateFailure = "I/O error while truncating";
  private String transferFailure;

  FailingFileChannel(FileChannel delegate) {
    this.delegate = delegate;
  }

  /** The next positional write stores this many bytes, then throws. */
  void failAfter(int bytes) {
    this.bytesBeforeFailure = bytes;
  }

  /** As {@link #failAfter(int)}, failing with the system's words {@code message}. */
  void failAfter(int bytes, String message) {
    this.bytesBeforeFailure = bytes;
    this.failure = message;
  }

  void failTruncate() {
    this.failTruncate = true;
  }

  /** Every truncate fails with the system's words {@code message}, as {@code ftruncate} does. */
  void failTruncate(String message) {
    this.failTruncate = true;
    this.truncateFailure = message;
  }

  /** Every transfer to another channel fails with the system's words {@code message}. */
  void failTransfer(String message) {
    this.transferFailure = message;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (bytesBeforeFailure < 0) {
      return delegate.write(src, position);
    }
    ByteBuffer part = src.duplicate();
    part.limit(part.position() + Math.min(bytesBeforeFailure, part.remaining()));
    int n = delegate.write(part, position);
    src.position(src.position() + n);
    bytesBeforeFailure = -1;
    throw new IOException(failure);
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    if (failTruncate) {
      throw new IOException(truncateFailure);
    }
    delegate.truncate(size);
    return this;
  }

  @Override public int read(ByteBuffer dst) throws IOException { return delegate.read(dst); }
  @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }
  @Override public int write(ByteBuffer src) throws IOException { return delegate.write(src); }
  @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return delegate.write(srcs, offset, length);
  }
  @Override public long position() throws IOException { return delegate.position(); }
  @Override public FileChannel position(long p) throws IOException {
    delegate.position(p);
    return this;
  }
  @Override public long size() throws IOException { return delegate.size(); }
  @Override public void force(boolean metaData) throws IOException { delegate.force(metaData); }
  @Override public long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    if (transferFailure != null) {
      throw new IOException(transferFailure);
    }
    return delegate.transferTo(position, count, target);
  }
  @Override public long transferFrom(ReadableByteChannel src, long position, long count)
      throws IOException {
    return delegate.transferFrom(src, position, count);
  }
  @Override public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }
  @Override public MappedByteBuffer map(MapMode mode, long position, long size)
      throws IOException {
    return delegate.map(mode, position, size);
  }
  @Override public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }
  @Override public FileLock tryLock(long position, long size, boolean shared)
      throws IOException {
    return delegate.tryLock(position, size, shared);
  }
  @Override protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
