// Package hostile serves loopback servers that misbehave on purpose, one
// per kind of attack on updoc that issue 12 names — endless headers,
// endless interim answers, endless and large bodies — for the tests that
// prove updoc stays bounded against each. Every server binds 127.0.0.1 on
// port 0 and is closed when the test ends.
package hostile
