package dev.pixivdic.examples.rehearsal.kube;

import static java.util.Objects.requireNonNull;

import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import java.util.List;
import java.util.Optional;

/**
 * Authorizes requests with the namespaced Roles and RoleBindings the cluster was given, as the API
 * server's RBAC authorizer does for them (no ClusterRoles, no aggregation).
 */
final class Rbac {

  /** What a request asks to do, in RBAC's terms. */
  record Attributes(
      String user,
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name) {
    Attributes {
      requireNonNull(user, "user");
      requireNonNull(verb, "verb");
      requireNonNull(apiGroup, "apiGroup");
      requireNonNull(resource, "resource");
      requireNonNull(subresource, "subresource");
      requireNonNull(namespace, "namespace");
      requireNonNull(name, "name");
    }

    /** The API server's words for a refusal. */
    String refusal() {
      String what = subresource.isEmpty() ? resource : resource + "/" + subresource;
      String group = apiGroup.isEmpty() ? "" : "." + apiGroup;
      return what
          + group
          + (name.isEmpty() ? "" : " \"" + name + "\"")
          + " is forbidden: User \""
          + user
          + "\" cannot "
          + verb
          + " resource \""
          + what
          + "\" in API group \""
          + apiGroup
          + "\" in the namespace \""
          + namespace
          + "\"";
    }
  }

  private final List<V1Role> roles;
  private final List<V1RoleBinding> bindings;

  Rbac(List<V1Role> roles, List<V1RoleBinding> bindings) {
    this.roles = List.copyOf(roles);
    this.bindings = List.copyOf(bindings);
  }

  boolean allows(Attributes a) {
    for (V1RoleBinding b : bindings) {
      if (!a.namespace().equals(b.getMetadata().getNamespace()) || !binds(b, a.user())) {
        continue;
      }
      Optional<V1Role> role =
          roles.stream()
              .filter(
                  r ->
                      r.getMetadata().getName().equals(b.getRoleRef().getName())
                          && a.namespace().equals(r.getMetadata().getNamespace()))
              .findFirst();
      if (role.isPresent()
          && role.get().getRules() != null
          && role.get().getRules().stream().anyMatch(rule -> matches(rule, a))) {
        return true;
      }
    }
    return false;
  }

  private static boolean binds(V1RoleBinding b, String user) {
    if (!"Role".equals(b.getRoleRef().getKind()) || b.getSubjects() == null) {
      return false;
    }
    for (RbacV1Subject s : b.getSubjects()) {
      String subject =
          switch (s.getKind()) {
            case "ServiceAccount" ->
                "system:serviceaccount:" + s.getNamespace() + ":" + s.getName();
            case "User" -> s.getName();
            default -> null;
          };
      if (user.equals(subject)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(V1PolicyRule rule, Attributes a) {
    String resource =
        a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
    return anyOf(rule.getApiGroups(), a.apiGroup())
        && anyOf(rule.getResources(), resource)
        && anyOf(rule.getVerbs(), a.verb())
        && (rule.getResourceNames() == null
            || rule.getResourceNames().isEmpty()
            || rule.getResourceNames().contains(a.name()));
  }

  private static boolean anyOf(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }
}
