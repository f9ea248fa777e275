// Package version reports the build's version, commit and date. The values are
// set with -ldflags -X at release time and fall back to the module build info.
//
// It imports nothing of updoc's.
package version
