package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTest {

  @Test
  void redactionHidesUserInfoQueryAndFragmentEvenOfTextThatIsNotAUri() {
    assertThat(Redaction.url("http://user:PASS@h:8/p?token=T#F")).isEqualTo("http://***@h:8/p?***");
    assertThat(Redaction.url("http://us er:PA SS@h")).isEqualTo("http://***@h");
    assertThat(Redaction.url("http://h/p")).isEqualTo("http://h/p");
  }

  /** A key file given as a URL list had each of its lines quoted in a warning. */
  @ParameterizedTest
  @ValueSource(strings = {"MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBALcaox883DJVVP1N",
      "6EaaE+IlkhpMDChCe5/QMOM7bP+BAgMBAAECgYBTqo5C5dJQBYHSRKnkdyyX7D3e", "ccXccDY3eq8x==",
      "0123456789abcdef0123456789abcdef01234567", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"})
  void keyMaterialIsToldByItsLengthOnly(String line) {
    boolean longEnough = line.length() >= 32;

    assertThat(Redaction.looksLikeKeyMaterial(line)).isEqualTo(longEnough);
    assertThat(Redaction.unlessKeyMaterial(line)).isEqualTo(longEnough
        ? "(" + line.length() + " characters that look like key material, not shown)" : line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF",
      "dic.pixiv.net/a/abcdefghijklmnopqrstuvwxyz0123456789", "AbcdefghijklmnopqrstuvwxyzABCDEFG",
      "12345678901234567890123456789012345", "初音ミク"})
  void namesAndUrlsAreNotKeyMaterial(String text) {
    assertThat(Redaction.looksLikeKeyMaterial(text)).isFalse();
    assertThat(Redaction.unlessKeyMaterial(text)).isEqualTo(text);
  }

  /** A .env file given as a URL list had its secrets quoted in the log and the report. */
  @ParameterizedTest
  @ValueSource(strings = {"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "SLACK_WEBHOOK=https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX",
      "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789", "PASSWORD=hunter2hunter2",
      "export DB_PASSWD='x'", "api_key: abc", "Authorization: Bearer abc.def",
      "SOMETHING=0123456789abcdef0123456789abcdef01234567",
      "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX",
      "see ghp_abcdefghijklmnopqrstuvwxyz0123456789 here", "AKIAIOSFODNN7EXAMPLE",
      "-----BEGIN RSA PRIVATE KEY-----"})
  void settingsNamingASecretAndWellKnownTokensAreToldByTheirLengthOnly(String line) {
    assertThat(Redaction.unlessKeyMaterial(line))
        .isEqualTo("(" + line.length() + " characters that look like key material, not shown)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://dic.pixiv.net/a/token", "https://dic.pixiv.net/a/KEY=1",
      "LANG=ja_JP.UTF-8", "title: 初音ミク", "HOME=/home/user", "monkey", "PASSWORD="})
  void settingsThatNameNoSecretAndPixivUrlsAreShown(String text) {
    assertThat(Redaction.unlessKeyMaterial(text)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pw#x", "pw?x", "pw/x", "p w#?/x", "#", "a@b#c", "/"})
  void aPasswordHoldingWhatEndsAnAuthorityIsHiddenWhole(String password) {
    String shown = Redaction.url("https://user:" + password + "@dic.pixiv.net/b/x?q=1#f");

    assertThat(shown).isEqualTo("https://***@dic.pixiv.net/b/x?***");
  }

  @Test
  void aHostWithAPortOrAnAddressInBracketsIsNotTakenForUserInfo() {
    assertThat(Redaction.url("http://127.0.0.1:8080/a/x@y"))
        .isEqualTo("http://127.0.0.1:8080/a/x@y");
    assertThat(Redaction.url("http://[::1]:80/a/x@y#f")).isEqualTo("http://[::1]:80/a/x@y#***");
    assertThat(Redaction.url("https://dic.pixiv.net/a/@JOKER?x=a@b"))
        .isEqualTo("https://dic.pixiv.net/a/@JOKER?***");
    assertThat(Redaction.url("dic.pixiv.net/a/x")).isEqualTo("dic.pixiv.net/a/x");
  }

  @Test
  void userInfoWithoutAUrlAroundItIsHiddenToo() {
    assertThat(Redaction.url("user:pw#1@host")).isEqualTo("***@host");
    assertThat(Redaction.url("token@host/p")).isEqualTo("***@host/p");
  }

  @Test
  void anOriginThatCannotBeReadIsShownByItsSchemeAlone() {
    assertThat(Redaction.origin("http://127.0.0.1:18401%2fHUNTER2")).isEqualTo("http://***");
    assertThat(Redaction.origin("http://HUNTER2%40127.0.0.1:18501")).isEqualTo("http://***");
    assertThat(Redaction.origin("http://127.0.0.1:18501\\HUNTER2")).isEqualTo("http://***");
    assertThat(Redaction.origin("http://[HUNTER2]:18501")).isEqualTo("http://***");
    assertThat(Redaction.origin("HTTPS://HUNTER2 @127.0.0.1")).isEqualTo("https://***");
    assertThat(Redaction.origin("ftp://HUNTER2")).isEqualTo("ftp://***");
    assertThat(Redaction.origin("HUNTER2://127.0.0.1")).isEqualTo("***");
    assertThat(Redaction.origin("HUNTER2")).isEqualTo("***");
    assertThat(Redaction.origin("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"))
        .isEqualTo("***");
    assertThat(SiteSettings.originProblem("http://127.0.0.1:18401%2fHUNTER2")).get()
        .asString().doesNotContain("HUNTER2").contains("'http://***'");
    assertThat(SiteSettings.originProblem("http://[HUNTER2]:18501")).get()
        .asString().isEqualTo("origin 'http://***' is not a URL");
  }

  @Test
  void anOriginThatCanBeReadIsShownAsAUrlIs() {
    assertThat(Redaction.origin("https://u:HUNTER2@mirror.example:8443/x?k=HUNTER2"))
        .isEqualTo("https://***@mirror.example:8443/x?***");
    assertThat(Redaction.origin("http://[::1]:80/p")).isEqualTo("http://[::1]:80/p");
    assertThat(Redaction.origin(" http://127.0.0.1:18501 ")).isEqualTo("http://127.0.0.1:18501");
    // A scheme forgotten: the host says what is wrong.
    assertThat(Redaction.origin("dic.example.org")).isEqualTo("dic.example.org");
    assertThat(Redaction.origin("localhost:9050")).isEqualTo("localhost:9050");
    assertThat(SiteSettings.originProblem("http://127.0.0.1:0")).get().asString()
        .contains("was 0 in 'http://127.0.0.1:0'");
  }
}
