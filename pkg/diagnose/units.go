package diagnose

// How durations, dates and day counts are written in findings and in the
// report: milliseconds rounded to the microsecond, whole days rounded
// down, dates in UTC.

import (
	"math"
	"time"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// ms converts a duration to milliseconds rounded to the microsecond: on
// loopback and in a data centre phases take tens of microseconds, which a
// coarser rounding would report as 0.
func ms(d time.Duration) float64 {
	return roundMS(msf(d))
}

// msf converts a duration to milliseconds, unrounded.
func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// roundMS rounds milliseconds to the microsecond.
func roundMS(v float64) float64 { return math.Round(v*1000) / 1000 }

// fmtMS renders a duration for messages: "0.80ms", "301ms", "1.20s".
func fmtMS(d time.Duration) string { return report.FormatMS(ms(d)) }

// fmtMSf renders milliseconds for messages.
func fmtMSf(v float64) string { return report.FormatMS(v) }

// daysLeft is THE days_left rule, for certificates (not_after) and sunsets
// (the Sunset date) alike: the whole days from now until t, truncated toward
// zero — the number a message says ("expires in 2 days" for 2 days and 23
// hours, "expired 3 days ago" for 3 days and an hour) — except that a date
// passed less than a day ago is -1, so that days_left is negative exactly
// when the date has passed.
func daysLeft(now, t time.Time) int {
	d := t.Sub(now)
	days := int(d / (24 * time.Hour)) // truncated toward zero
	if d < 0 && days == 0 {
		return -1
	}
	return days
}

// humanDuration renders the size of a duration (its sign dropped) in its
// largest whole unit: "3 days", "1 day", "5 hours", "12 minutes", "30 seconds".
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d >= 24*time.Hour:
		return textfmt.Plural(int(d/(24*time.Hour)), "day")
	case d >= time.Hour:
		return textfmt.Plural(int(d/time.Hour), "hour")
	case d >= time.Minute:
		return textfmt.Plural(int(d/time.Minute), "minute")
	default:
		return textfmt.Plural(int(d/time.Second), "second")
	}
}

// fmtDate is the date of t in UTC, "2026-11-25".
func fmtDate(t time.Time) string { return t.UTC().Format("2006-01-02") }
