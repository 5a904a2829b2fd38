/**
 * memoflow on a cluster: {@link io.memoflow.cluster.ClusterMember} starts an embedded Hazelcast
 * member (community edition) on this JVM, and its {@link io.memoflow.cluster.ClusterMember#storage()
 * storage} is a memo store shared by every member: each new call is computed once in the whole
 * cluster, and what any member computed is retraced on all of them.
 *
 * <p>Configuration is {@link io.memoflow.cluster.ClusterOptions}: cluster name, member
 * addresses (TCP-IP join; multicast, auto-detection and phone-home off), backup count, claim
 * lease, and the local store each member also writes its commits to, so that a full-cluster
 * restart loses nothing.
 */
package io.memoflow.cluster;
