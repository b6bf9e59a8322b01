package dev.pixivdic.launcher.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeJsonTest {
  private static final String JOB =
      "{\"metadata\":{\"name\":\"j\",\"uid\":\"u-1\"},\"status\":%s}";

  private static JsonNode json(String text) throws MalformedAnswerException {
    return KubeJson.read(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"items\":null}|items is null, not a list",
      "{\"items\":{}}|items is an object, not a list",
      "{\"items\":\"x\"}|items is \"x\", not a list",
      "{\"metadata\":{}}|items is missing, not a list",
      "[]|the answer is a list, not an object",
      "{\"items\":[null]}|items[0] is null, not an object",
      "{\"items\":[{\"metadata\":{\"name\":\"j\"}}]}|items[0].metadata.uid is missing"})
  void aMalformedListIsNeverReadAsAnEmptyOne(String body, String said) throws Exception {
    assertThatThrownBy(() -> KubeJson.list(json(body), Job.class))
        .isInstanceOf(MalformedAnswerException.class)
        .hasMessageStartingWith("JSON, but not a list of Jobs: ")
        .hasMessageContaining(said);
  }

  @Test
  void anEmptyListIsEmpty() throws Exception {
    assertThat(KubeJson.list(json("{\"metadata\":{\"resourceVersion\":\"5\"},\"items\":[]}"),
        Job.class)).isEqualTo(new ObjectList<Job>("5", java.util.List.of()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"succeeded\":\"one\"}|status.succeeded is \"one\", not a number",
      "{\"conditions\":[null]}|status.conditions[0] is null, not an object",
      "{\"conditions\":{}}|status.conditions is an object, not a list",
      "{\"conditions\":[{\"type\":[]}]}|status.conditions[0].type is a list, not a text",
      "\"done\"|status is \"done\", not an object",
      "{\"conditions\":[{\"type\":\"Complete\"},null]}"
          + "|status.conditions[1] is null, not an object"})
  void aWrongTypedFieldIsNamedWithWhatWasWrong(String status, String said) {
    assertThatThrownBy(() -> KubeJson.decode(json(JOB.formatted(status)), Job.class))
        .isInstanceOf(MalformedAnswerException.class)
        .hasMessage("JSON, but not a Job: " + said);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"podFailurePolicy\":{\"rules\":[null]}}"
          + "|spec.podFailurePolicy.rules[0] is null, not an object",
      "{\"podFailurePolicy\":{\"rules\":[{\"onExitCodes\":{\"values\":[1,null]}}]}}"
          + "|spec.podFailurePolicy.rules[0].onExitCodes.values[1] is null, not a number"})
  void aNullInAListTheLauncherReadsIsNamedWhereverItIs(String spec, String said) {
    String job = "{\"metadata\":{\"name\":\"j\",\"uid\":\"u-1\"},\"spec\":%s}";
    assertThatThrownBy(() -> KubeJson.decode(json(job.formatted(spec)), Job.class))
        .isInstanceOf(MalformedAnswerException.class)
        .hasMessage("JSON, but not a Job: " + said);
    assertThatThrownBy(() -> KubeJson.decode(
        json("{\"metadata\":{\"name\":\"p\"},\"status\":{\"containerStatuses\":[null]}}"),
        Pod.class))
        .hasMessage("JSON, but not a Pod: status.containerStatuses[0] is null, not an object");
  }

  @Test
  void aNullInAListTheLauncherDoesNotReadIsNoFault() throws Exception {
    Job job = KubeJson.decode(json("{\"metadata\":{\"name\":\"j\",\"uid\":\"u-1\","
        + "\"finalizers\":[null]},\"spec\":{\"completions\":2,\"template\":{\"spec\":"
        + "{\"containers\":[null],\"volumes\":[{\"items\":[null]}]}}},"
        + "\"status\":{\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}}"),
        Job.class);

    assertThat(job.spec().completions()).isEqualTo(2);
    assertThat(job.condition("Complete")).isPresent();
  }

  @Test
  void aLongValueIsShownCutWithItsLength() {
    String value = "line\\n".repeat(30);
    assertThatThrownBy(() -> KubeJson.decode(
        json(JOB.formatted("{\"succeeded\":\"" + value + "\"}")), Job.class))
        .hasMessage("JSON, but not a Job: status.succeeded is \""
            + "line\\n".repeat(6) + "lin"
            + "... (182 characters), not a number");
  }

  @Test
  void aJobWithoutItsUidIsNotAJob() {
    assertThatThrownBy(() -> KubeJson.decode(json("{\"kind\":\"Status\"}"), Job.class))
        .hasMessage("JSON, but not a Job: a Status");
    assertThatThrownBy(() -> KubeJson.decode(json("{\"kind\":\"Job\"}"), Job.class))
        .hasMessage("JSON, but not a Job: metadata.name is missing");
    assertThatThrownBy(() -> KubeJson.decode(json("{\"metadata\":{\"name\":\"j\"}}"), Job.class))
        .hasMessage("JSON, but not a Job: metadata.uid is missing");
  }

  @Test
  void aBodyThatIsNotJsonOrCutOffSaysSo() {
    assertThatThrownBy(() -> KubeJson.read("<html>bad gateway</html>"))
        .hasMessage("a body that is not JSON");
    assertThatThrownBy(() -> KubeJson.read("{\"items\":[{\"metad"))
        .hasMessage("JSON cut off before its end");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"MODIFIED\",\"object\":{\"metad|is JSON cut off before its end",
      "{\"object\":{}}|is not a watch event: type is missing",
      "{\"type\":\"SOMETHING\"}|type is \"SOMETHING\", not ADDED, MODIFIED",
      "{\"type\":null}|type is null, not ADDED",
      "{\"type\":\"MODIFIED\"}|is a MODIFIED event, but object is missing, not a Job",
      "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"j\"}}}"
          + "|is a DELETED event, but object.metadata.uid is missing",
      "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"j\",\"uid\":\"u\"},"
          + "\"status\":{\"succeeded\":\"one\"}}}"
          + "|is a MODIFIED event, but object.status.succeeded is \"one\", not a number",
      "[1]|is a list, not a watch event"})
  void aMalformedWatchLineNamesWhatWasWrong(String line, String said) {
    assertThatThrownBy(() -> KubeJson.watchLine(line, Job.class, "/jobs", t -> t))
        .isInstanceOf(MalformedAnswerException.class)
        .hasMessageStartingWith("a line of the watch of /jobs ")
        .hasMessageContaining(said)
        .hasMessageNotContainingAny("Source", "line:", "column", "jackson");
  }

  @Test
  void aBookmarkNeedsOnlyItsVersion() throws Exception {
    WatchEvent<Job> e = KubeJson.watchLine(
        "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}",
        Job.class, "/jobs", t -> t);
    assertThat(e.resourceVersion()).isEqualTo("9");
  }
}
