package dev.pixivdic.launcher.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.launcher.fake.FakeKube;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.support.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubeConfigTest {
  private static TestPki pki;
  private FakeKube fake;
  @TempDir Path dir;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.close();
    }
  }

  private static final String OK = "{\"kind\":\"APIVersions\"}";

  private void okTimes(int n) {
    for (int i = 0; i < n; i++) {
      fake.on("GET", "^/api$", Responses.json(200, json(OK)));
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String s) {
    try {
      return new ObjectMapper().readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Path kubeconfig(String name, String clusterExtra, String user) throws IOException {
    return kubeconfig(name, fake.url().toString(), clusterExtra, user);
  }

  private Path kubeconfig(String name, String server, String clusterExtra, String user)
      throws IOException {
    String text =
        """
        apiVersion: v1
        kind: Config
        current-context: main
        contexts:
        - name: main
          context: {cluster: c, user: u, namespace: batch}
        clusters:
        - name: c
          cluster:
            server: %s
        %s
        users:
        - name: u
          user:
        %s
        """
            .formatted("\"" + server + "\"", indent(clusterExtra, 4), indent(user, 4));
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static String indent(String s, int n) {
    return s.lines().map(l -> " ".repeat(n) + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  private String caData() throws IOException {
    return "certificate-authority-data: " + TestPki.base64(TestPki.pem(pki.ca));
  }

  private KubeConfig.Environment env(Map<String, String> vars, Clock clock) {
    return new KubeConfig.Environment(vars, dir.resolve("home"), dir.resolve("no-sa"), clock);
  }

  private KubeApi api(Path kubeconfig) throws IOException {
    Cluster c =
        KubeConfig.resolve(
            Optional.of(kubeconfig), Optional.empty(), env(Map.of(), Clock.systemUTC()));
    return new KubeApi(c, Duration.ofSeconds(10), Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"first-SECRET\nsecond", "first-SECRET\rsecond", "a\u0000SECRET",
    "\uFEFFSECRET-token", "\u201CSECRET-token\u201D", "SECRET\u2028token", "SECRET token",
    "SECRET-t\u00F6ken", "SECRET\u007Ftoken"})
  void aTokenThatCannotBeAHeaderIsRefusedNamingItsSourceButNeverShowingIt(String bad)
      throws Exception {
    fake = FakeKube.start(pki);
    Path token = dir.resolve("token");
    Files.writeString(token, bad + "\n");
    Path config = kubeconfig("config", caData(), "tokenFile: " + token);

    assertThatThrownBy(() -> api(config).get("/api"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("kubeconfig [" + config + "] context main")
        .hasMessageContaining("a character a token cannot hold")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET"));
    assertThat(fake.requests()).isEmpty();
  }

  /** It said "cannot read token file F: F", the path twice and no reason. */
  @Test
  void aMissingTokenFileIsNamedOnceWithItsReason() throws Exception {
    fake = FakeKube.start(pki);
    Path token = dir.resolve("gone");
    Path config = kubeconfig("config", caData(), "tokenFile: " + token);

    assertThatThrownBy(() -> api(config).get("/api"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("cannot read token file " + token + ": no such file")
        .satisfies(e -> assertThat(e.getMessage().split(token.toString(), -1)).hasSize(2));
    assertThat(fake.requests()).isEmpty();
  }

  /** It was read whole: /dev/zero ran the launcher out of memory (exit 1). */
  @Test
  void aTokenFileThatNeverEndsIsRefusedAfterItsLimit() throws Exception {
    fake = FakeKube.start(pki);
    Path config = kubeconfig("config", caData(), "tokenFile: /dev/zero");

    assertThatThrownBy(() -> api(config).get("/api"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("cannot read token file /dev/zero: larger than 65536 bytes");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void howFarTheServersClockIsAheadIsReadFromTheDateOfItsAnswers() throws Exception {
    fake = FakeKube.start(pki);
    okTimes(2);
    Cluster c = KubeConfig.resolve(Optional.of(kubeconfig("config", caData(), "token: t")),
        Optional.empty(), env(Map.of(), Clock.systemUTC()));
    // This host runs ten minutes behind the server, whose Date header tells real time.
    KubeApi behind = new KubeApi(c, Duration.ofSeconds(10), Duration.ZERO,
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
    KubeApi agreeing = new KubeApi(c, Duration.ofSeconds(10), Duration.ZERO,
        Clock.systemUTC());

    assertThat(behind.serverClockAhead()).isZero();
    behind.get("/api");
    agreeing.get("/api");

    assertThat(behind.serverClockAhead())
        .isBetween(Duration.ofMinutes(10).minusSeconds(5), Duration.ofMinutes(10).plusSeconds(1));
    assertThat(agreeing.serverClockAhead()).isZero();
  }

  @Test
  void aTokenIsSentAsBearerAndTheContextGivesTheNamespace() throws Exception {
    fake = FakeKube.start(pki);
    okTimes(1);
    Path config = kubeconfig("config", caData(), "token: secret-1");

    KubeApi api = api(config);
    api.get("/api");

    assertThat(api.cluster().namespace()).isEqualTo("batch");
    assertThat(fake.requests().get(0).authorization()).contains("Bearer secret-1");
  }

  @Test
  void aTokenFileIsReadRelativeToTheKubeconfigAndReReadAfterRotation() throws Exception {
    fake = FakeKube.start(pki);
    okTimes(2);
    Files.writeString(dir.resolve("token"), "first\n");
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, TestPki.pem(pki.ca));
    KubeApi api = api(kubeconfig("config", "certificate-authority: ca.pem", "tokenFile: token"));

    api.get("/api");
    Files.writeString(dir.resolve("token"), "second\n");
    api.get("/api");

    assertThat(fake.requests()).extracting(r -> r.authorization().orElse(""))
        .containsExactly("Bearer first", "Bearer second");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa-pkcs8", "rsa-pkcs1", "ec-sec1", "ec-pkcs8"})
  void aClientCertificateIsPresentedWhateverTheKeyFormat(String format) throws Exception {
    fake = FakeKube.startRequiringClientCertificates(pki);
    okTimes(1);
    KeyPair keys = format.startsWith("rsa") ? TestPki.rsa() : TestPki.ec();
    String keyPem = format.endsWith("pkcs8") ? TestPki.pkcs8Pem(keys.getPrivate())
        : TestPki.traditionalPem(keys);
    assertThat(keyPem).contains(switch (format) {
      case "rsa-pkcs1" -> "BEGIN RSA PRIVATE KEY";
      case "ec-sec1" -> "BEGIN EC PRIVATE KEY";
      default -> "BEGIN PRIVATE KEY";
    });
    Files.writeString(dir.resolve("client.crt"), TestPki.pem(pki.client("launcher", keys)));
    Files.writeString(dir.resolve("client.key"), keyPem);

    api(kubeconfig("config", caData(), "client-certificate: client.crt\nclient-key: client.key"))
        .get("/api");

    assertThat(fake.requests().get(0).clientCertificate()).contains("CN=launcher");
    assertThat(fake.requests().get(0).authorization()).isEmpty();
  }

  @Test
  void embeddedClientCertificateDataWorksToo() throws Exception {
    fake = FakeKube.startRequiringClientCertificates(pki);
    okTimes(1);
    KeyPair keys = TestPki.rsa();
    String user =
        "client-certificate-data: "
            + TestPki.base64(TestPki.pem(pki.client("embedded", keys)))
            + "\nclient-key-data: "
            + TestPki.base64(TestPki.traditionalPem(keys));

    api(kubeconfig("config", caData(), user)).get("/api");

    assertThat(fake.requests().get(0).clientCertificate()).contains("CN=embedded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"@@@@", "QUJD", "AAAA"})
  void aClientKeyWhosePemBlockIsNoKeyIsNamedAndNoInternalError(String body) throws Exception {
    fake = FakeKube.startRequiringClientCertificates(pki);
    KeyPair keys = TestPki.rsa();
    String user = "client-certificate-data: "
        + TestPki.base64(TestPki.pem(pki.client("embedded", keys)))
        + "\nclient-key-data: "
        + TestPki.base64("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> api(kubeconfig("config", caData(), user)).get("/api"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("client-key cannot be read as a PEM private key");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aCertificateThatDoesNotNameTheTlsServerNameIsRefused() throws Exception {
    fake = FakeKube.start(pki);
    KubeApi api =
        api(
            kubeconfig(
                "config", caData() + "\ntls-server-name: kubernetes.default.svc", "token: t"));

    assertThatThrownBy(() -> api.get("/api"))
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("does not name 'kubernetes.default.svc'");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aTlsServerNameThatTheCertificateCarriesIsAccepted() throws Exception {
    fake = FakeKube.start(pki);
    okTimes(1);

    api(kubeconfig("config", caData() + "\ntls-server-name: localhost", "token: t")).get("/api");

    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aServerNotSignedByATrustedCaIsRefusedUnlessVerificationIsSkippedExplicitly()
      throws Exception {
    fake = FakeKube.start(pki);
    okTimes(1);
    KubeApi strict = api(kubeconfig("strict", "", "token: t"));
    KubeApi insecure = api(kubeconfig("insecure", "insecure-skip-tls-verify: true", "token: t"));

    assertThatThrownBy(() -> strict.get("/api")).isInstanceOf(IOException.class);
    insecure.get("/api");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void kubeconfigListsAreMergedFirstFileWinsAndContextCanBeChosen() throws Exception {
    fake = FakeKube.start(pki);
    okTimes(1);
    Path first = dir.resolve("first");
    Files.writeString(
        first,
        """
        current-context: main
        contexts:
        - name: main
          context: {cluster: c, user: u}
        - name: other
          context: {cluster: c, user: u2, namespace: other-ns}
        users:
        - name: u2
          user: {token: from-first}
        """);
    Path second = kubeconfig("second", caData(), "token: from-second");
    String list =
        first
            + java.io.File.pathSeparator
            + dir.resolve("missing")
            + java.io.File.pathSeparator
            + second;

    Cluster c = KubeConfig.resolve(Optional.empty(), Optional.of("other"),
        env(Map.of("KUBECONFIG", list), Clock.systemUTC()));
    new KubeApi(c, Duration.ofSeconds(10), Duration.ZERO).get("/api");

    assertThat(c.namespace()).isEqualTo("other-ns");
    assertThat(fake.requests().get(0).authorization()).contains("Bearer from-first");
  }

  @Test
  void anUndefinedUserIsNamedInTheError() throws Exception {
    fake = FakeKube.start(pki);
    Path config = dir.resolve("config");
    Files.writeString(
        config,
        """
        current-context: main
        contexts:
        - name: main
          context: {cluster: c, user: nobody}
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:1"}
        """);

    assertThatThrownBy(() -> api(config)).hasMessageContaining("no user named 'nobody'");
  }

  /** A pod's service-account directory with a token, the CA and {@code namespace}. */
  private Path serviceAccount(String token, String namespace) throws IOException {
    Path sa = dir.resolve("sa");
    Files.createDirectories(sa);
    Files.writeString(sa.resolve("token"), token);
    Files.writeString(sa.resolve("ca.crt"), TestPki.pem(pki.ca));
    Files.writeString(sa.resolve("namespace"), namespace);
    return sa;
  }

  private Cluster inCluster(Path sa, Map<String, String> vars) throws IOException {
    return KubeConfig.resolve(Optional.empty(), Optional.empty(),
        new KubeConfig.Environment(vars, dir.resolve("home"), sa, Clock.systemUTC()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1 | https | KUBERNETES_SERVICE_PORT must be a port from 1 to 65535, was 'https'",
        "127.0.0.1 | 70000 | KUBERNETES_SERVICE_PORT must be a port from 1 to 65535, was '70000'",
        "127.0.0.1 | 0     | KUBERNETES_SERVICE_PORT must be a port from 1 to 65535, was '0'",
        "kube api  | 443   | KUBERNETES_SERVICE_HOST must be a host name or address, was 'kube"
            + " api'",
        "a_b       | 443   | KUBERNETES_SERVICE_HOST must be a host name or address, was 'a_b'",
      })
  void aHalfSetPodEnvironmentIsNamed(String host, String port, String says) throws Exception {
    Path sa = serviceAccount("t", "scraping");

    assertThatThrownBy(() -> inCluster(sa,
            Map.of("KUBERNETES_SERVICE_HOST", host, "KUBERNETES_SERVICE_PORT", port)))
        .isInstanceOf(IOException.class)
        .hasMessage("in-cluster service account: " + says);
  }

  @Test
  void anEmptyServiceHostIsNoClusterAndTheKubeconfigIsLookedFor() throws Exception {
    Path sa = serviceAccount("t", "scraping");

    assertThatThrownBy(() -> inCluster(sa, Map.of("KUBERNETES_SERVICE_HOST", "")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve("home").resolve(".kube").resolve("config").toString());
  }

  @Test
  void aPodWithoutTheClusterCaIsToldToMountIt() throws Exception {
    Path sa = serviceAccount("t", "scraping");
    Files.delete(sa.resolve("ca.crt"));

    assertThatThrownBy(() -> inCluster(sa, Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")))
        .hasMessageContaining("cannot read the cluster's CA certificate " + sa.resolve("ca.crt"))
        .hasMessageContaining("automountServiceAccountToken");
  }

  @Test
  void anEmptyNamespaceFileMeansTheDefaultNamespace() throws Exception {
    Path sa = serviceAccount("t", "\n");

    Cluster c = inCluster(sa, Map.of("KUBERNETES_SERVICE_HOST", "fd00::1"));

    assertThat(c.namespace()).isEqualTo("default");
    assertThat(c.server().toString()).isEqualTo("https://[fd00::1]:443");
  }

  @Test
  void anEmptyTokenFileIsNamedAndNoAnonymousRequestIsSent() throws Exception {
    fake = FakeKube.start(pki);
    Path sa = serviceAccount(" \n", "scraping");
    Cluster c = inCluster(sa, Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
        "KUBERNETES_SERVICE_PORT", Integer.toString(fake.port())));

    assertThatThrownBy(() -> new KubeApi(c, Duration.ofSeconds(10), Duration.ZERO).get("/api"))
        .isInstanceOf(CredentialsException.class)
        .hasMessage("token file " + sa.resolve("token") + " is empty");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void inClusterTheServiceAccountTokenIsReReadAndA401FetchesItAgain() throws Exception {
    fake = FakeKube.start(pki);
    Path sa = dir.resolve("sa");
    Files.createDirectories(sa);
    Files.writeString(sa.resolve("token"), "old");
    Files.writeString(sa.resolve("ca.crt"), TestPki.pem(pki.ca));
    Files.writeString(sa.resolve("namespace"), "scraping");
    Cluster c =
        KubeConfig.resolve(
            Optional.empty(),
            Optional.empty(),
            new KubeConfig.Environment(
                Map.of(
                    "KUBERNETES_SERVICE_HOST",
                    "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT",
                    Integer.toString(fake.port())),
                dir,
                sa,
                Clock.systemUTC()));
    fake.on("GET", "^/api$", ex -> {
      Files.writeString(sa.resolve("token"), "rotated"); // the kubelet rotated it meanwhile
      Responses.status(401, "Unauthorized", "token expired").respond(ex);
    });
    okTimes(1);

    new KubeApi(c, Duration.ofSeconds(10), Duration.ZERO).get("/api");

    assertThat(c.namespace()).isEqualTo("scraping");
    assertThat(fake.requests()).extracting(r -> r.authorization().orElse(""))
        .containsExactly("Bearer old", "Bearer rotated");
  }

  /** A fake exec plugin: counts its runs, records KUBERNETES_EXEC_INFO, prints a token per run. */
  private Path plugin(String apiVersion, String expiration) throws IOException {
    Path script = dir.resolve("plugin.sh");
    Files.writeString(
        script,
        """
        #!/bin/sh
        n=$(cat "%1$s/count" 2>/dev/null || echo 0)
        n=$((n+1))
        echo $n > "%1$s/count"
        printf '%%s' "$KUBERNETES_EXEC_INFO" > "%1$s/exec-info"
        echo "$1 $PLUGIN_ENV" > "%1$s/argv"
        printf '{"apiVersion":"%2$s","kind":"ExecCredential",'
        printf '"status":{"token":"exec-%%s"%3$s}}' "$n"
        """
            .formatted(
                dir,
                apiVersion,
                expiration.isEmpty() ? "" : ",\"expirationTimestamp\":\"" + expiration + "\""));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private String execUser(Path script, String apiVersion) {
    return """
    exec:
      apiVersion: %s
      command: ./%s
      args: [--flag]
      env: [{name: PLUGIN_ENV, value: from-config}]
      provideClusterInfo: true
      installHint: install the plugin
    """
        .formatted(apiVersion, script.getFileName());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"})
  void anExecPluginTokenIsCachedAndRefreshedAfterA401(String apiVersion) throws Exception {
    fake = FakeKube.start(pki);
    okTimes(2);
    fake.on("GET", "^/api$", Responses.status(401, "Unauthorized", "expired"));
    okTimes(1);
    KubeApi api = api(kubeconfig("config", caData(), execUser(plugin(apiVersion, ""), apiVersion)));

    api.get("/api");
    api.get("/api");
    api.get("/api");

    assertThat(fake.requests()).extracting(r -> r.authorization().orElse(""))
        .containsExactly("Bearer exec-1", "Bearer exec-1", "Bearer exec-1", "Bearer exec-2");
    String info = Files.readString(dir.resolve("exec-info"));
    assertThat(new ObjectMapper().readTree(info).path("apiVersion").asText()).isEqualTo(apiVersion);
    assertThat(new ObjectMapper().readTree(info).at("/spec/interactive").asBoolean(true)).isFalse();
    assertThat(new ObjectMapper().readTree(info).at("/spec/cluster/server").asText())
        .isEqualTo(fake.url().toString());
    assertThat(Files.readString(dir.resolve("argv")).trim()).isEqualTo("--flag from-config");
  }

  @Test
  void a401ToATokenAnotherRequestHasReplacedKeepsTheNewTokenAndDoesNotRunThePluginAgain()
      throws Exception {
    fake = FakeKube.start(pki);
    CountDownLatch slowSent = new CountDownLatch(1);
    CountDownLatch answerSlow = new CountDownLatch(1);
    fake.always("GET", "^/api", ex -> {
      if (!"Bearer exec-1".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        Responses.json(200, json(OK)).respond(ex);
        return;
      }
      if (ex.getRequestURI().getPath().equals("/api/slow")) {
        // Refused only once the quick request has been refused and has fetched a new token.
        slowSent.countDown();
        try {
          answerSlow.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Responses.status(401, "Unauthorized", "expired").respond(ex);
    });
    String v1 = "client.authentication.k8s.io/v1";
    KubeApi api = api(kubeconfig("config", caData(), execUser(plugin(v1, ""), v1)));
    CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> {
      try {
        api.get("/api/slow");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(slowSent.await(20, TimeUnit.SECONDS)).isTrue();

    api.get("/api");
    answerSlow.countDown();
    slow.get(20, TimeUnit.SECONDS);

    assertThat(Files.readString(dir.resolve("count")).trim()).isEqualTo("2");
    assertThat(fake.requests()).extracting(r -> r.uri() + " " + r.authorization().orElse(""))
        .containsExactly("/api/slow Bearer exec-1", "/api Bearer exec-1", "/api Bearer exec-2",
            "/api/slow Bearer exec-2");
  }

  @Test
  void anExecPluginTokenIsFetchedAgainOnceItExpires() throws Exception {
    fake = FakeKube.start(pki);
    okTimes(3);
    String v1 = "client.authentication.k8s.io/v1";
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Path config = kubeconfig("config", caData(), execUser(plugin(v1, "2026-01-01T00:10:00Z"), v1));
    KubeApi api =
        new KubeApi(
            KubeConfig.resolve(Optional.of(config), Optional.empty(), env(Map.of(), clock)),
            Duration.ofSeconds(10),
            Duration.ZERO);

    api.get("/api");
    clock.set(Instant.parse("2026-01-01T00:09:59Z"));
    api.get("/api");
    clock.set(Instant.parse("2026-01-01T00:10:00Z"));
    api.get("/api");

    assertThat(fake.requests()).extracting(r -> r.authorization().orElse(""))
        .containsExactly("Bearer exec-1", "Bearer exec-1", "Bearer exec-2");
  }

  @Test
  void aFailingExecPluginIsRunOnceAndNotRetriedLikeALostConnection() throws Exception {
    fake = FakeKube.start(pki);
    Path script = dir.resolve("plugin.sh");
    Files.writeString(script, """
        #!/bin/sh
        echo run >> "%s/runs"
        echo 'gcloud: no credentialed account' >&2
        exit 1
        """.formatted(dir));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    String v1 = "client.authentication.k8s.io/v1";
    KubeApi api = api(kubeconfig("config", caData(), execUser(script, v1)));

    assertThatThrownBy(() -> api.get("/api"))
        .isInstanceOf(CredentialsException.class)
        .hasMessageEndingWith("plugin.sh exited with 1");
    assertThat(Files.readAllLines(dir.resolve("runs"))).hasSize(1);
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aMissingExecPluginShowsTheInstallHint() throws Exception {
    fake = FakeKube.start(pki);
    String user =
        """
        exec:
          apiVersion: client.authentication.k8s.io/v1
          command: gke-gcloud-auth-plugin-that-is-not-installed
          installHint: install gke-gcloud-auth-plugin
        """;
    KubeApi api = api(kubeconfig("config", caData(), user));

    assertThatThrownBy(() -> api.get("/api"))
        .hasMessageContaining("install gke-gcloud-auth-plugin");
  }

  @Test
  void aForbiddenAnswerCarriesTheStatusMessage() throws Exception {
    fake = FakeKube.start(pki);
    fake.on("GET", "^/api$", Responses.status(403, "Forbidden",
        "jobs.batch is forbidden: User \"x\" cannot create resource \"jobs\""));
    KubeApi api = api(kubeconfig("config", caData(), "token: t"));

    assertThatThrownBy(() -> api.get("/api"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("cannot create resource \"jobs\"");
  }

  @Test
  void aServerUrlWithAUserAndPasswordIsRefusedWithoutShowingThePassword() throws Exception {
    fake = FakeKube.start(pki);
    Path config =
        kubeconfig(
            "config",
            "https://admin:PASSWORD-SECRET-1@127.0.0.1:" + fake.port(),
            caData(),
            "token: t");

    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> api(config));

    assertThat(e).isInstanceOf(IOException.class)
        .hasMessageContaining("'https://***@127.0.0.1:" + fake.port() + "'")
        .hasMessageContaining("basic authentication is not supported");
    assertThat(stackTrace(e)).doesNotContain("PASSWORD-SECRET-1");
  }

  @Test
  void anUnparseableServerUrlIsShownMasked() throws Exception {
    fake = FakeKube.start(pki);
    Path config =
        kubeconfig(
            "config",
            "https://u:PASSWORD-SECRET-2@bad host/?access_token=QUERY-SECRET-2",
            caData(),
            "token: t");

    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> api(config));

    assertThat(e).isInstanceOf(IOException.class).hasMessageContaining("bad server URL");
    assertThat(stackTrace(e)).doesNotContain("PASSWORD-SECRET-2", "QUERY-SECRET-2");
  }

  /** A server URL that cannot be read was shown whole, or up to its user-info-like part. */
  @Test
  void aServerUrlThatCannotBeReadIsShownByItsSchemeAlone() throws Exception {
    fake = FakeKube.start(pki);
    for (String server : List.of("https://[HUNTER2]:6443", "https://HUNTER2%40127.0.0.1:6443",
        "https://127.0.0.1:6443 HUNTER2", "ftp://HUNTER2")) {
      Path config = kubeconfig("config", server, caData(), "token: t");

      Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> api(config));

      assertThat(e).as(server).isInstanceOf(IOException.class)
          .hasMessageContaining(server.startsWith("ftp") ? "'ftp://***'" : "'https://***'");
      assertThat(stackTrace(e)).as(server).doesNotContain("HUNTER2");
    }
  }

  @Test
  void aQueryStringInTheServerUrlIsNeitherSentNorShown() throws Exception {
    fake = FakeKube.start(pki);
    okTimes(1);
    fake.on("GET", "^/api/v1/nothing$", Responses.status(404, "NotFound", "nothing here"));
    Path config =
        kubeconfig("config", fake.url() + "/?access_token=QUERY-SECRET-3", caData(), "token: t");

    String logged;
    Throwable e;
    try (dev.pixivdic.launcher.fake.LogCapture logs =
        dev.pixivdic.launcher.fake.LogCapture.start()) {
      KubeApi api = api(config);
      api.get("/api");
      e = org.assertj.core.api.Assertions.catchThrowable(() -> api.get("/api/v1/nothing"));
      logged = logs.text();
    }

    assertThat(fake.requests())
        .extracting(FakeKube.Request::uri)
        .containsExactly("/api", "/api/v1/nothing");
    assertThat(logged)
        .contains("query string of the server URL", "?***")
        .doesNotContain("QUERY-SECRET-3");
    assertThat(stackTrace(e)).contains("404").doesNotContain("QUERY-SECRET-3");
  }

  @Test
  void aPathPrefixInTheServerUrlIsKept() throws Exception {
    fake = FakeKube.start(pki);
    fake.on("GET", "^/k8s/clusters/c-1/api$", Responses.json(200, json(OK)));

    api(kubeconfig("config", fake.url() + "/k8s/clusters/c-1/", caData(), "token: t")).get("/api");

    assertThat(fake.requests())
        .extracting(FakeKube.Request::uri)
        .containsExactly("/k8s/clusters/c-1/api");
  }

  @Test
  void aKubeconfigThatIsNotYamlNamesTheLineButNotItsText() throws Exception {
    Path config = dir.resolve("broken");
    Files.writeString(config, "users:\n- name: u\n  user: {token: \"TOKEN-SECRET-4\n");

    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> api(config));

    assertThat(e).isInstanceOf(IOException.class).hasMessageContaining("is not valid YAML (line");
    assertThat(stackTrace(e)).doesNotContain("TOKEN-SECRET-4");
  }

  @Test
  void aRefusedConnectionNamesTheServerAndTheCause() throws Exception {
    fake = FakeKube.start(pki);
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    KubeApi api = api(kubeconfig("config", "https://127.0.0.1:" + port, caData(), "token: t"));

    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> api.get("/api"));

    assertThat(e)
        .isInstanceOfSatisfying(
            ApiConnectionException.class,
            c -> {
              assertThat(c.isTransient()).isTrue();
              assertThat(c.mayHaveArrived()).isFalse();
            })
        .hasMessage(
            "GET https://127.0.0.1:"
                + port
                + "/api: no answer from the API server https://127.0.0.1:"
                + port
                + ": connection refused");
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
