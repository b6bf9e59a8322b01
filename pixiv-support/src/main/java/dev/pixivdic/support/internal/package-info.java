/**
 * The duration grammar of the project's options, logs and reports, the escaping of quoted
 * text in messages, URLs shown without the places credentials hide, and the control characters
 * a title or a name must not hold. No API: used by pixiv-core, pixiv-bigquery and both commands.
 */
package dev.pixivdic.support.internal;
