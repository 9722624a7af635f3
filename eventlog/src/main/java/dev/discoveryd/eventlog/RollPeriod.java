package dev.discoveryd.eventlog;

/** How often the log starts a new file (a roll cycle); retention deletes whole files. */
public enum RollPeriod {
    DAILY,
    HOURLY
}
