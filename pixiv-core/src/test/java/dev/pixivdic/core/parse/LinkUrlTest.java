package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class LinkUrlTest {

  private static final List<String> ODD_LINKS = List.of("", " ", "/a/%E3%81%82", "/a/あ い",
      "?page=2", "#top", "//other.example/x", "https://dic.pixiv.net/a/x?y=1#z",
      "HTTPS://DIC.PIXIV.NET/A/X", "javascript:void(0)", "tel:+81-3", "mailto:a@b.c",
      "java\tscript:alert(1)", "/a/\u0000x", "\n/a/x\r", "http://", "https:///nohost",
      "http://[::1]:80/a", "http://例え.テスト/a", "../../a/x", "a/b/../c", "\u001f",
      "%zz", "http://host:notaport/", "/a/\u3000全角");

  /** Every link as jsoup's own absUrl gives it, against bases with and without oddities. */
  @Test
  void givesJsoupsAbsUrlForEveryLinkOfEveryCorpusPageAndForOddLinksAndBases() {
    List<Document> docs = new ArrayList<>();
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      if (c.kind() == GoldenCorpus.Kind.ARTICLE_HTML) {
        docs.add(Html.parse(c.body(), c.contentType(), c.url()));
      }
    }
    for (String base : List.of("https://dic.pixiv.net/a/%E3%81%82", "https://dic.pixiv.net/",
        "not a url", "", "https://dic.pixiv.net/a/\tx", "file:///tmp/x")) {
      StringBuilder html = new StringBuilder();
      ODD_LINKS.forEach(l -> html.append("<a>x</a>"));
      Document doc = Jsoup.parse(html.toString(), base);
      List<Element> links = doc.select("a");
      for (int i = 0; i < links.size(); i++) {
        links.get(i).attr("href", ODD_LINKS.get(i));
      }
      docs.add(doc);
    }
    int compared = 0;
    for (Document doc : docs) {
      for (Element e : doc.getAllElements()) {
        for (String key : List.of("href", "HREF", "src", "missing")) {
          assertThat(LinkUrl.of(e, key)).as("%s of %s in %s", key, e, doc.location())
              .isEqualTo(e.absUrl(key));
          compared += e.hasAttr(key) ? 1 : 0;
        }
      }
    }
    assertThat(compared).isGreaterThan(ODD_LINKS.size() * 6);
  }
}
