package dev.discoveryd.agent.port;

/** Address family of a rule or route. */
public enum IpFamily {
    INET4,
    INET6
}
