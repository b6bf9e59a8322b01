/**
 * A small Kubernetes REST client over {@code java.net.http}: finding the cluster and credentials
 * (kubeconfig, in-cluster service account, exec plugins), TLS, JSON requests and streams. Nulls
 * never cross the API of this package.
 */
package dev.pixivdic.launcher.kube;
