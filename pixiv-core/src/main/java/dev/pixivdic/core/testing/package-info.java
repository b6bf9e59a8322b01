/**
 * Test doubles shipped for users' own tests: {@link dev.pixivdic.core.testing.InMemorySink}.
 * (An in-memory source is {@link dev.pixivdic.core.Source#of}.)
 *
 * <p>Null-safety: parameters and return values are non-null unless documented.
 */
package dev.pixivdic.core.testing;
