package dev.lanner.hosting.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.forwarding.ForwardedHeaderParser.Element;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedHeaderParserTest {

    @Test
    void parsesTheRfc7239Section4Examples() {
        assertThat(ForwardedHeaderParser.parse("for=\"_gazonk\""))
                .containsExactly(new Element("_gazonk", null, null, null));
        assertThat(ForwardedHeaderParser.parse("For=\"[2001:db8:cafe::17]:4711\""))
                .containsExactly(new Element("[2001:db8:cafe::17]:4711", null, null, null));
        assertThat(ForwardedHeaderParser.parse("for=192.0.2.60;proto=http;by=203.0.113.43"))
                .containsExactly(new Element("192.0.2.60", "203.0.113.43", "http", null));
        assertThat(ForwardedHeaderParser.parse("for=192.0.2.43, for=198.51.100.17"))
                .containsExactly(new Element("192.0.2.43", null, null, null), new Element("198.51.100.17", null, null, null));
    }

    @Test
    void parsesTheRfc7239Section7_1Example() {
        List<Element> elements = ForwardedHeaderParser.parse("for=192.0.2.43,for=\"[2001:db8:cafe::17]\",for=unknown");
        assertThat(elements).extracting(Element::forNode).containsExactly("192.0.2.43", "[2001:db8:cafe::17]", "unknown");
    }

    @Test
    void unquotesQuotedPairsAndIgnoresUnknownParameters() {
        assertThat(ForwardedHeaderParser.parse("host=\"a\\\"b\";ext=1 ; proto=https"))
                .containsExactly(new Element(null, null, "https", "a\"b"));
    }

    @Test
    void formatsAnElementBackToValidHeaderText() {
        Element element = new Element("[2001:db8::1]:80", null, "https", "example.com");
        assertThat(ForwardedHeaderParser.parse(element.format())).containsExactly(element);
    }

    @Test
    void rejectsValuesOutsideTheGrammar() {
        assertThatThrownBy(() -> ForwardedHeaderParser.parse("for=\"unterminated")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForwardedHeaderParser.parse("for")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForwardedHeaderParser.parse("for=[::1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ForwardedHeaderParser.parse("for=a;for=b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyValueHasNoElements() {
        assertThat(ForwardedHeaderParser.parse("")).isEmpty();
        assertThat(ForwardedHeaderParser.parse(" , ")).isEmpty();
    }
}
