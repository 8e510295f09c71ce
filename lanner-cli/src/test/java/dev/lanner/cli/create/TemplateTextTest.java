package dev.lanner.cli.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTextTest {

    @Test
    void replacesEveryPlaceholderByItsValue() {
        String text = TemplateText.substitute("package {{package}};\n// {{name}} and {{name}} again\n",
                Map.of("package", "com.example.myapp", "name", "myapp"));

        assertThat(text).isEqualTo("package com.example.myapp;\n// myapp and myapp again\n");
    }

    @Test
    void leavesOtherBracesAlone() {
        String text = TemplateText.substitute("{ \"a\": {\"b\": 1} } {{ name }} {name} {{}}", Map.of("name", "x"));

        assertThat(text).isEqualTo("{ \"a\": {\"b\": 1} } {{ name }} {name} {{}}");
    }

    @Test
    void insertsValuesLiterally() {
        assertThat(TemplateText.substitute("[{{v}}]", Map.of("v", "$1 \\ {{v}}"))).isEqualTo("[$1 \\ {{v}}]");
    }

    @Test
    void refusesAPlaceholderWithoutValue() {
        assertThatThrownBy(() -> TemplateText.substitute("{{name}} {{version}}", Map.of("name", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no value for template placeholder {{version}}");
    }
}
