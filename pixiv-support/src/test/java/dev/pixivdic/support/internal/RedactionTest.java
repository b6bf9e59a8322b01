package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void redactionHidesUserInfoQueryAndFragmentEvenOfTextThatIsNotAUri() {
    assertThat(Redaction.url("http://user:PASS@h:8/p?token=T#F")).isEqualTo("http://***@h:8/p?***");
    assertThat(Redaction.url("http://us er:PA SS@h")).isEqualTo("http://***@h");
    assertThat(Redaction.url("http://h/p")).isEqualTo("http://h/p");
  }
}
