/** The site file: bindings and applications, loaded and validated. */
package dev.lanner.module.site;
