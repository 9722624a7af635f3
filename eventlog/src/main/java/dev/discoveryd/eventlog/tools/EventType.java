package dev.discoveryd.eventlog.tools;

import dev.discoveryd.core.Event;

/** The names the tools give event types. */
final class EventType {
    static final String UPDATE = "update";
    static final String DELETE = "delete";
    static final String EXPIRE = "expire";
    static final String EXPIRE_ENDPOINTS = "expire-endpoints";

    private EventType() {
    }

    static String of(Event e) {
        if (e instanceof Event.AffiliateUpdated) {
            return UPDATE;
        }
        if (e instanceof Event.AffiliateDeleted) {
            return DELETE;
        }
        if (e instanceof Event.AffiliateExpired) {
            return EXPIRE;
        }
        return EXPIRE_ENDPOINTS;
    }
}
