/**
 * The command-line pieces both commands use: typo hints, ranged duration options, the logging
 * options and the completion command. Needs picocli, which each command brings. No API.
 */
package dev.pixivdic.support.cli;
