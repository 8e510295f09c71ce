/**
 * The request core every server shares (the role of Kestrel's {@code HttpProtocol}): the one request
 * lifecycle ({@link dev.lanner.http.server.core.RequestLifecycle}), response framing as a pure decision
 * ({@link dev.lanner.http.server.core.ResponseFraming}), the response callbacks, the feature table that
 * drives both lookup and enumeration, the data-rate meter, the file sender and the status-code rule.
 * A protocol fills in its parts through {@link dev.lanner.http.server.core.ServerExchange}; a custom
 * server uses the same pieces, so every server behaves alike where the contract says it must.
 */
package dev.lanner.http.server.core;
