// Package world is the loopback world of updoc's benchmark harness: HTTP
// servers and an authoritative DNS server on 127.0.0.1 that count what
// they are asked — TCP connections accepted, requests, DNS questions — so
// a probe's cost at the servers can be read next to the floor's.
//
// Nothing here listens on or connects to an address outside 127.0.0.0/8.
package world
