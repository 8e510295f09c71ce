/**
 * The request features: small interfaces, each one capability a server may offer for a request.
 * A server composes the ones it supports into a {@link dev.lanner.http.features.FeatureCollection};
 * {@link dev.lanner.http.HttpContext} is the convenient view over them.
 */
package dev.lanner.http.features;
