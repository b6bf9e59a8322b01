package dev.pixivdic.examples.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document under examples/k8s deserializes into the official Kubernetes model class of
 * its kind, which rejects fields that do not exist (a typo would be ignored by a lenient
 * reader, and by nothing else until the API server refused the object).
 */
class KubernetesManifestsTest {

  private static final String NAMESPACE = "pixiv";

  static List<Path> manifests() {
    return RepoFiles.list("examples/k8s", ".yaml");
  }

  @Test
  void theKubernetesExamplesAreThere() {
    assertThat(manifests()).extracting(p -> p.getFileName().toString())
        .contains("namespace.yaml", "serviceaccounts.yaml", "rbac.yaml", "job-template.yaml");
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void everyDocumentIsAValidObjectOfItsKind(Path file) throws IOException {
    List<JsonNode> docs = RepoFiles.yamlDocuments(file);
    assertThat(docs).as(file + " holds at least one document").isNotEmpty();
    for (JsonNode doc : docs) {
      Object parsed = toModel(doc);
      assertThat(parsed).as(file.toString()).isNotNull();
      if (!doc.path("kind").asText().equals("Namespace")) {
        assertThat(doc.path("metadata").path("namespace").asText())
            .as(file + ": " + doc.path("kind").asText() + " namespace").isEqualTo(NAMESPACE);
      }
    }
  }

  @Test
  void aMisspelledFieldDeepInsideAJobIsRejected() throws IOException {
    JsonNode job = single("job-template.yaml", "Job");
    ObjectNode broken = job.deepCopy();
    ((ObjectNode) broken.at("/spec/template/spec/containers/0")).put("imagePullPolice", "Always");
    assertThatThrownBy(() -> toModel(broken)).hasMessageContaining("imagePullPolice");
  }

  @Test
  void theLauncherRoleGrantsExactlyWhatTheLauncherUses() throws IOException {
    V1Role role = (V1Role) toModel(single("rbac.yaml", "Role"));
    Set<String> granted = new TreeSet<>();
    for (V1PolicyRule rule : role.getRules()) {
      assertThat(rule.getResourceNames()).as("no rule narrows by name").isNullOrEmpty();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            granted.add(group + "/" + resource + ":" + verb);
          }
        }
      }
    }
    assertThat(granted).containsExactlyInAnyOrder(
        "batch/jobs:create", "batch/jobs:get", "batch/jobs:list", "batch/jobs:watch",
        "batch/jobs:delete",
        "/pods:get", "/pods:list", "/pods:watch",
        "/pods/log:get",
        "/events:list");
  }

  @Test
  void theRoleBindingBindsTheLauncherRoleToTheLauncherServiceAccount() throws IOException {
    V1RoleBinding binding = (V1RoleBinding) toModel(single("rbac.yaml", "RoleBinding"));
    V1Role role = (V1Role) toModel(single("rbac.yaml", "Role"));
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
      assertThat(serviceAccountNames()).contains(s.getName());
    });
  }

  @Test
  void theScraperServiceAccountCarriesTheWorkloadIdentityAnnotation() throws IOException {
    V1ServiceAccount scraper = serviceAccounts().stream()
        .filter(sa -> sa.getMetadata().getName().equals("pixiv-scraper")).findFirst().orElseThrow();
    assertThat(scraper.getMetadata().getAnnotations())
        .containsKey("iam.gke.io/gcp-service-account");
    assertThat(scraper.getMetadata().getAnnotations().get("iam.gke.io/gcp-service-account"))
        .matches("[a-z0-9-]+@[A-Za-z0-9_-]+\\.iam\\.gserviceaccount\\.com");
  }

  @Test
  void theJobTemplateRunsAsTheImagesUserOnAReadOnlyRootWithAWritableTmp() throws IOException {
    V1Job job = (V1Job) toModel(single("job-template.yaml", "Job"));
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    V1PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(serviceAccountNames()).contains(pod.getServiceAccountName());
    assertThat(pod.getAutomountServiceAccountToken())
        .as("Workload Identity needs the token mounted").isNotEqualTo(Boolean.FALSE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(DockerfileTest.imageUid());
    V1Container c = pod.getContainers().get(0);
    assertThat(c.getName()).isEqualTo("pixiv");
    assertThat(c.getImage()).doesNotEndWith(":latest").contains(":");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(job.getSpec().getPodFailurePolicy().getRules()).anySatisfy(r -> {
      assertThat(r.getAction()).isEqualTo("FailJob");
      assertThat(r.getOnExitCodes().getValues()).contains(2, 65);
    });
  }

  private static List<String> serviceAccountNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (V1ServiceAccount sa : serviceAccounts()) {
      names.add(sa.getMetadata().getName());
    }
    return names;
  }

  private static List<V1ServiceAccount> serviceAccounts() throws IOException {
    List<V1ServiceAccount> out = new ArrayList<>();
    Path file = RepoFiles.path("examples/k8s/serviceaccounts.yaml");
    for (JsonNode doc : RepoFiles.yamlDocuments(file)) {
      out.add((V1ServiceAccount) toModel(doc));
    }
    return out;
  }

  private static JsonNode single(String file, String kind) {
    return RepoFiles.yamlDocuments(RepoFiles.path("examples/k8s/" + file)).stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .reduce((a, b) -> {
          throw new AssertionError(file + " holds more than one " + kind);
        })
        .orElseThrow(() -> new AssertionError(file + " holds no " + kind));
  }

  /** Validates (unknown fields are errors) and deserializes one document by its kind. */
  static Object toModel(JsonNode doc) throws IOException {
    String json = RepoFiles.JSON.writeValueAsString(doc);
    JsonElement tree = JsonParser.parseString(json);
    String kind = doc.path("kind").asText();
    String apiVersion = doc.path("apiVersion").asText();
    switch (kind) {
      case "Namespace":
        assertThat(apiVersion).isEqualTo("v1");
        V1Namespace.validateJsonElement(tree);
        return V1Namespace.fromJson(json);
      case "ServiceAccount":
        assertThat(apiVersion).isEqualTo("v1");
        V1ServiceAccount.validateJsonElement(tree);
        return V1ServiceAccount.fromJson(json);
      case "Role":
        assertThat(apiVersion).isEqualTo("rbac.authorization.k8s.io/v1");
        V1Role.validateJsonElement(tree);
        return V1Role.fromJson(json);
      case "RoleBinding":
        assertThat(apiVersion).isEqualTo("rbac.authorization.k8s.io/v1");
        V1RoleBinding.validateJsonElement(tree);
        return V1RoleBinding.fromJson(json);
      case "Job":
        assertThat(apiVersion).isEqualTo("batch/v1");
        V1Job.validateJsonElement(tree);
        return V1Job.fromJson(json);
      default:
        throw new AssertionError(
            "no model class mapped for kind '" + kind + "': add it to this test");
    }
  }
}
