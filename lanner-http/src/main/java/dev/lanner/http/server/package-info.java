/** The server SPI: {@link dev.lanner.http.server.Server}, {@link dev.lanner.http.server.HttpApplication} and discovery. */
package dev.lanner.http.server;
