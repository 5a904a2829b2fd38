/**
 * The Hazelcast storage backend: the maps it keeps, the record format, the entry processors,
 * the member configuration. Not API; may change without notice.
 */
package io.memoflow.cluster.internal;
