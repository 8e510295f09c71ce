package dev.lanner.server.internal.http1;

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
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import dev.lanner.http.features.HttpUpgradeFeature;
import dev.lanner.server.internal.infrastructure.RequestFeatureCollection;

/** The features of an HTTP/1.x request: the connection object answers for the built-in ones; reset between requests. */
final class Http1Features extends RequestFeatureCollection {

    private final Http1Connection connection;

    Http1Features(Http1Connection connection, FeatureCollection connectionFeatures) {
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
                HttpUpgradeFeature.class,
                HttpResponseTrailersFeature.class);
        this.connection = connection;
    }

    @Override
    protected Object builtIn(Class<?> type) {
        if (type == HttpRequestFeature.class
                || type == HttpResponseBodyFeature.class
                || type == HttpRequestLifetimeFeature.class
                || type == HttpConnectionFeature.class
                || type == HttpRequestIdentifierFeature.class
                || type == HttpMaxRequestBodySizeFeature.class
                || type == HttpMinRequestBodyDataRateFeature.class
                || type == HttpBodyControlFeature.class
                || type == HttpUpgradeFeature.class
                || type == HttpResponseTrailersFeature.class
                || type == HostContextContainer.class) {
            return connection;
        }
        if (type == HttpResponseFeature.class) {
            return connection.responseFeature;
        }
        if (type == HttpMinResponseDataRateFeature.class) {
            return connection.responseRateFeature;
        }
        return null;
    }
}
