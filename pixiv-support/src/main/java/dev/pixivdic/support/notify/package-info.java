/**
 * Alerts: posts a run's summary to a webhook whose URL is kept secret. Nulls never cross the API
 * of this package.
 */
package dev.pixivdic.support.notify;
