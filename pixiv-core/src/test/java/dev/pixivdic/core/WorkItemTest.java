package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkItemTest {

  private static final ArticleUrl URL = ArticleUrl.ofTitle("初音ミク");

  /** A null was accepted and left for the sinks to meet; values are refused with their name. */
  @Test
  void aNullAttributeNameOrValueIsRefusedNamingIt() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("middle_class_ip_name", null);
    Map<String, String> nullName = new HashMap<>();
    nullName.put(null, "x");

    assertThatThrownBy(() -> new WorkItem(URL, nullValue))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("attributes['middle_class_ip_name'] is null; leave an absent column out");
    assertThatThrownBy(() -> new WorkItem(URL, nullName))
        .isInstanceOf(NullPointerException.class).hasMessage("attributes holds a null name");
  }

  @Test
  void attributesAreCopiedInOrderAndCannotBeChanged() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("b", "2");
    given.put("a", "1");
    WorkItem item = new WorkItem(URL, given);
    given.put("c", "3");

    assertThat(item.attributes()).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
    assertThatThrownBy(() -> item.attributes().put("d", "4"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
