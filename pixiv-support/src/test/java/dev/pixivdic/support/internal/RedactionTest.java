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
}
