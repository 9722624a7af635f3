/**
 * The ports between the domain and storage, each a small role so that an adapter implements only what it can:
 * {@link dev.discoveryd.core.port.EventAppender} (record a change), {@link dev.discoveryd.core.port.FencedAppender}
 * (record it only while owning the log), {@link dev.discoveryd.core.port.EventReader} (replay and tail from a
 * {@link dev.discoveryd.core.LogPosition}), {@link dev.discoveryd.core.port.LogRetention} (drop what a snapshot
 * covers), and {@link dev.discoveryd.core.port.EventLog}, all of them. Each has a contract kit in core's test-jar
 * that every adapter runs through a subclass of a few lines.
 */
package dev.discoveryd.core.port;
