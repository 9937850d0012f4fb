package dev.sluice.api.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        FilterSettings s = FilterSettings.of(Map.of(), "fallback");
        assertEquals(new FilterSettings("fallback", 0, FilterProperties.DEFAULT_TIMEOUT_MILLIS, false, List.of()), s);
    }

    @Test
    void readsTypedAndCfgStringValues() {
        FilterSettings typed = FilterSettings.of(Map.of("service.ranking", 7, FilterProperties.TIMEOUT_MILLIS, 250L,
                FilterProperties.FAILURE_MODE, "open", "component.name", "com.example.Filter"), "x");
        assertEquals(new FilterSettings("com.example.Filter", 7, 250, true, List.of()), typed);
        FilterSettings fromCfg = FilterSettings.of(Map.of("service.ranking", " 12 ", FilterProperties.TIMEOUT_MILLIS,
                "1500", FilterProperties.FAILURE_MODE, " Closed ", FilterProperties.NAME, "mine",
                "component.name", "ignored"), "x");
        assertEquals(new FilterSettings("mine", 12, 1500, false, List.of()), fromCfg);
    }

    @Test
    void wrongValuesFallBackToDefaultsAndNameTheKey() {
        FilterSettings s = FilterSettings.of(Map.of("service.ranking", "high", FilterProperties.TIMEOUT_MILLIS, "5s",
                FilterProperties.FAILURE_MODE, "maybe"), "f");
        assertEquals(0, s.ranking());
        assertEquals(FilterProperties.DEFAULT_TIMEOUT_MILLIS, s.timeoutMillis());
        assertFalse(s.failOpen());
        assertEquals(3, s.problems().size());
        assertTrue(s.problems().get(0).startsWith("service.ranking"), s.problems().toString());
        assertTrue(s.problems().get(1).startsWith(FilterProperties.TIMEOUT_MILLIS), s.problems().toString());
        assertTrue(s.problems().get(2).startsWith(FilterProperties.FAILURE_MODE), s.problems().toString());
    }

    @Test
    void nonBlockingIsOffUnlessDeclaredTrue() {
        assertFalse(FilterSettings.of(Map.of(), "f").nonBlocking());
        assertTrue(FilterSettings.of(Map.of(FilterProperties.NON_BLOCKING, true), "f").nonBlocking());
        FilterSettings fromCfg = FilterSettings.of(Map.of(FilterProperties.NON_BLOCKING, " TRUE "), "f");
        assertTrue(fromCfg.nonBlocking());
        assertEquals(List.of(), fromCfg.problems());
        assertFalse(FilterSettings.of(Map.of(FilterProperties.NON_BLOCKING, "false"), "f").nonBlocking());
        FilterSettings wrong = FilterSettings.of(Map.of(FilterProperties.NON_BLOCKING, "yes"), "f");
        assertFalse(wrong.nonBlocking(), "anything but true keeps the filter off the caller's thread");
        assertEquals(1, wrong.problems().size());
        assertTrue(wrong.problems().get(0).startsWith(FilterProperties.NON_BLOCKING), wrong.problems().toString());
    }

    @Test
    void timeoutMustBeWithinRange() {
        assertEquals(1, FilterSettings.of(Map.of(FilterProperties.TIMEOUT_MILLIS, 0), "f").problems().size());
        assertEquals(1, FilterSettings.of(Map.of(FilterProperties.TIMEOUT_MILLIS, FilterSettings.MAX_TIMEOUT_MILLIS + 1),
                "f").problems().size());
        assertEquals(FilterSettings.MAX_TIMEOUT_MILLIS, FilterSettings.of(Map.of(FilterProperties.TIMEOUT_MILLIS,
                FilterSettings.MAX_TIMEOUT_MILLIS), "f").timeoutMillis());
    }
}
