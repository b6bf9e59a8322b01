/**
 * The JSON log line format of both commands, for logback, which each command brings. No API.
 */
package dev.pixivdic.support.logging;
