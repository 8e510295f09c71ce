package dev.lanner.module.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellArgumentsTest {

    @Test
    void splitsOnRunsOfWhitespace() {
        assertThat(ShellArguments.split("  run \t ../hello\n--x=1 ")).containsExactly("run", "../hello", "--x=1");
    }

    @Test
    void emptyAndBlankTextHaveNoArguments() {
        assertThat(ShellArguments.split("")).isEmpty();
        assertThat(ShellArguments.split("   ")).isEmpty();
    }

    @Test
    void emptyQuotesAreEmptyArguments() {
        assertThat(ShellArguments.split("a \"\" ''")).containsExactly("a", "", "");
    }

    @Test
    void doubleQuotesKeepSpacesAndEscapeOnlyQuoteAndBackslash() {
        assertThat(ShellArguments.split("\"a b\" \"say \\\"hi\\\"\" \"c:\\\\dir\" \"\\n\""))
                .containsExactly("a b", "say \"hi\"", "c:\\dir", "\\n");
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertThat(ShellArguments.split("'a \"b\" \\c'")).containsExactly("a \"b\" \\c");
    }

    @Test
    void backslashOutsideQuotesEscapesTheNextCharacter() {
        assertThat(ShellArguments.split("a\\ b \\'c\\' \\\\")).containsExactly("a b", "'c'", "\\");
    }

    @Test
    void quotedPartsJoinTheWordAroundThem() {
        assertThat(ShellArguments.split("--name=\"a b\"'c d'e")).isEqualTo(List.of("--name=a bc de"));
    }

    @Test
    void rejectsUnclosedQuotesAndATrailingBackslash() {
        assertThatThrownBy(() -> ShellArguments.split("\"a b")).hasMessage("a double quote is not closed");
        assertThatThrownBy(() -> ShellArguments.split("'a b")).hasMessage("a single quote is not closed");
        assertThatThrownBy(() -> ShellArguments.split("a \\")).hasMessage("a backslash ends the text");
    }
}
