// Package lab is the loopback fault lab (SPEC §8): a small world of sick and
// healthy upstreams used by `updoc demo` and by the tests.
//
// Start brings up, on 127.0.0.1 only and on free ports:
//
//   - an authoritative DNS server (miekg/dns, udp and tcp on one port) for the
//     zone lab.updoc.test. — every lab name resolves to 127.0.0.1 (A only),
//     an unknown name is NXDOMAIN, and the subzone broken.lab.updoc.test.
//     answers SERVFAIL;
//   - HTTP, HTTPS, TCP and TLS servers, one per scenario, with certificates
//     minted by an in-memory CA (package ca) whose PEM is written to a
//     temporary directory the lab owns;
//   - a refused port and a port whose connects time out.
//
// Config returns the graph file (SPEC §2) describing every scenario, and
// Scenarios what updoc should report for each. Close stops everything.
// Nothing in the lab ever sends a packet to an address other than 127.0.0.1.
//
// It imports catalog (the codes and layers of what each scenario should
// report) and lab/ca; never the packages it is a world for (probe,
// diagnose, engine), so that it cannot bend to what they do.
package lab
