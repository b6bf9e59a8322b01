/**
 * The duration grammar of the project's options, logs and reports, and the escaping of quoted
 * text in messages. No API: used by pixiv-core, pixiv-bigquery and both commands.
 */
package dev.pixivdic.support.internal;
