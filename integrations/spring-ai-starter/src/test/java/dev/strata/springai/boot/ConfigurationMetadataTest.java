package dev.strata.springai.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The starter ships {@code META-INF/spring-configuration-metadata.json}, so that an IDE completes
 * and explains every {@code spring.ai.vectorstore.strata.*} property: each bindable property of
 * {@link StrataVectorStoreProperties} is listed, with a description in plain words (no javadoc
 * markup) and its default where it has one.
 */
class ConfigurationMetadataTest {
  @Test
  void everyPropertyIsListedWithADescriptionAndItsDefault() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the starter's jar has configuration metadata (is the annotation processor run?)").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, JsonNode> listed = new TreeMap<>();
    metadata.get("properties").forEach(p -> listed.put(p.get("name").asText(), p));

    Set<String> bindable = new TreeSet<>();
    for (PropertyDescriptor d : Introspector.getBeanInfo(StrataVectorStoreProperties.class, Object.class)
        .getPropertyDescriptors()) {
      if (d.getWriteMethod() != null) {
        bindable.add(StrataVectorStoreProperties.PREFIX + "." + kebab(d.getName()));
      }
    }
    assertThat(listed.keySet()).isEqualTo(bindable);
    listed.forEach((name, p) -> {
      String description = p.path("description").asText();
      assertThat(description).as(name).isNotBlank().doesNotContain("{@").doesNotContain("<p>");
    });
    assertThat(listed.get(StrataVectorStoreProperties.PREFIX + ".commit-policy").path("defaultValue").asText())
        .isEqualTo("every-call");
    assertThat(listed.get(StrataVectorStoreProperties.PREFIX + ".refresh-interval").path("defaultValue").asText())
        .isEqualTo("1s");
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
