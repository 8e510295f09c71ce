/** The module's front server, its hosted applications and their processes. */
package dev.lanner.module;
