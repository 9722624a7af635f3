package dev.discoveryd.nodeclient.cli;

/** How commands print affiliates. */
enum OutputFormat {
    table, json, yaml
}
