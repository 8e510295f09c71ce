/**
 * The HTTP contract: {@link dev.lanner.http.HttpContext} over a set of request features,
 * {@link dev.lanner.http.RequestDelegate}, {@link dev.lanner.http.Middleware} and the
 * {@link dev.lanner.http.ApplicationBuilder} that composes them. Depends on the JDK alone.
 */
package dev.lanner.http;
