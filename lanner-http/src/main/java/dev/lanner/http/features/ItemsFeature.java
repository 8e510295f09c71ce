package dev.lanner.http.features;

import java.util.Map;

/** Per-request storage shared by middleware. */
public interface ItemsFeature {
    Map<Object, Object> items();
}
