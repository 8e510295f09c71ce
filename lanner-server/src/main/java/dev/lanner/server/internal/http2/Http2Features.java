package dev.lanner.server.internal.http2;

import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpBodyControlFeature;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.features.HttpMinRequestBodyDataRateFeature;
import dev.lanner.http.features.HttpMinResponseDataRateFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.features.HttpRequestLifetimeFeature;
import dev.lanner.http.features.HttpResetFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpStreamIdFeature;
import dev.lanner.server.internal.infrastructure.RequestFeatureCollection;

/** The features of an HTTP/2 stream: the stream object answers for the built-in ones. */
final class Http2Features extends RequestFeatureCollection {

    private final Http2Stream stream;

    Http2Features(Http2Stream stream, FeatureCollection connectionFeatures) {
        super(connectionFeatures, HttpRequestFeature.class,
                HttpResponseFeature.class,
                HttpResponseBodyFeature.class,
                HttpRequestLifetimeFeature.class,
                HttpConnectionFeature.class,
                HttpRequestIdentifierFeature.class,
                HttpMaxRequestBodySizeFeature.class,
                HttpMinRequestBodyDataRateFeature.class,
                HttpMinResponseDataRateFeature.class,
                HttpBodyControlFeature.class,
                HttpResponseTrailersFeature.class,
                HttpResetFeature.class,
                HttpStreamIdFeature.class);
        this.stream = stream;
    }

    @Override
    protected Object builtIn(Class<?> type) {
        if (type == HttpRequestFeature.class
                || type == HttpResponseBodyFeature.class
                || type == HttpRequestLifetimeFeature.class
                || type == HttpConnectionFeature.class
                || type == HttpRequestIdentifierFeature.class
                || type == HttpMaxRequestBodySizeFeature.class
                || type == HttpBodyControlFeature.class
                || type == HttpResponseTrailersFeature.class
                || type == HttpResetFeature.class
                || type == HttpStreamIdFeature.class
                || type == HostContextContainer.class) {
            return stream;
        }
        if (type == HttpResponseFeature.class) {
            return stream.responseFeature;
        }
        if (type == HttpMinRequestBodyDataRateFeature.class) {
            return stream.requestRateFeature;
        }
        if (type == HttpMinResponseDataRateFeature.class) {
            return stream.responseRateFeature;
        }
        return null;
    }
}
