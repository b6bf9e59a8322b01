package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FetchResponseTest {

  private static final URI OLD = URI.create("https://dic.pixiv.net/a/old");
  private static final URI NEW = URI.create("https://dic.pixiv.net/a/new");

  private static FetchResponse through(List<Integer> redirects) {
    return new FetchResponse(OLD, NEW, redirects, 200, "text/html", new byte[0], 1,
        Duration.ZERO);
  }

  @Test
  void aMoveIsPermanentOnlyWhenEveryRedirectIs301Or308() {
    assertThat(through(List.of(301)).permanentRedirect()).isTrue();
    assertThat(through(List.of(308, 301)).permanentRedirect()).isTrue();
    assertThat(through(List.of(302)).permanentRedirect()).isFalse();
    assertThat(through(List.of(301, 307)).permanentRedirect()).isFalse();
    assertThat(through(List.of(303, 308)).permanentRedirect()).isFalse();
    assertThat(through(List.of()).permanentRedirect()).isFalse();
  }

  @Test
  void aResponseThatDoesNotTellItsRedirectsIsNotPermanentlyMoved() {
    FetchResponse r = new FetchResponse(OLD, NEW, 200, "text/html", new byte[0], 1,
        Duration.ZERO);

    assertThat(r.redirects()).isEmpty();
    assertThat(r.permanentRedirect()).isFalse();
  }

  @Test
  void theRedirectsAreCopiedAndMustBeRedirects() {
    List<Integer> hops = new ArrayList<>(List.of(301));
    FetchResponse r = through(hops);
    hops.add(302);

    assertThat(r.redirects()).containsExactly(301);
    assertThat(r.toString()).contains(OLD + " -> " + NEW + " via [301]");
    assertThatIllegalArgumentException().isThrownBy(() -> through(List.of(301, 200)))
        .withMessageContaining("was [301, 200]");
  }
}
