package diagnose

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
)

// errKind is what an error value means, decided from its type only
// (ARCHITECTURE habit 13): errors.Is against syscall errnos and sentinel
// errors, errors.As against the net, tls and x509 error types. Error
// strings are never inspected.
type errKind int

const (
	kindNone        errKind = iota
	kindRefused             // ECONNREFUSED
	kindUnreachable         // EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN; a connect a local route or rule refused

	kindTimeout     // context.DeadlineExceeded, ETIMEDOUT, net.Error.Timeout()
	kindCanceled    // context.Canceled: the run ended, not a fault of the upstream
	kindReset       // ECONNRESET, ECONNABORTED, EPIPE
	kindEOF         // io.EOF, io.ErrUnexpectedEOF: the peer closed
	kindNotTLS      // tls.RecordHeaderError: the peer does not speak TLS
	kindTLSAlert    // tls.AlertError: the peer sent an alert
	kindDNSNotFound // *net.DNSError with IsNotFound
	kindDNSFailure  // any other *net.DNSError that is not a timeout
	kindOther
)

func (k errKind) String() string {
	switch k {
	case kindNone:
		return "none"
	case kindRefused:
		return "refused"
	case kindUnreachable:
		return "unreachable"
	case kindTimeout:
		return "timeout"
	case kindCanceled:
		return "canceled"
	case kindReset:
		return "reset"
	case kindEOF:
		return "eof"
	case kindNotTLS:
		return "not_tls"
	case kindTLSAlert:
		return "tls_alert"
	case kindDNSNotFound:
		return "dns_not_found"
	case kindDNSFailure:
		return "dns_failure"
	default:
		return "other"
	}
}

// classify returns the kind of err. Order matters: a refused or
// unreachable connect is reported as such even when a wrapper also says
// "timeout"-ish things, and a timeout beats the generic cases.
func classify(err error) errKind {
	if err == nil {
		return kindNone
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return kindRefused
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, syscall.EHOSTDOWN), errors.Is(err, syscall.ENETDOWN), connectRefusedLocally(err):
		return kindUnreachable
	case isTimeout(err):
		return kindTimeout
	case errors.Is(err, context.Canceled):
		return kindCanceled
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return kindReset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return kindEOF
	}
	var rh tls.RecordHeaderError
	var rhp *tls.RecordHeaderError
	if errors.As(err, &rh) || errors.As(err, &rhp) {
		return kindNotTLS
	}
	var alert tls.AlertError
	if errors.As(err, &alert) {
		return kindTLSAlert
	}
	// An alert received from the peer: crypto/tls reports it as a
	// *net.OpError with Op "remote error" (its alert type is unexported).
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		return kindTLSAlert
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return kindDNSNotFound
		}
		return kindDNSFailure
	}
	return kindOther
}

// connectRefusedLocally: a connect this host itself refused to send — a
// blackhole route (EINVAL), a prohibit route (EACCES), a firewall rule of
// its own (EPERM): the address cannot be reached from here, as with no
// route (ip-route(8) route types; Linux connect(2)).
func connectRefusedLocally(err error) bool {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		return false
	}
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, syscall.ETIMEDOUT) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// recordHeader returns the first bytes the peer sent instead of a TLS record.
func recordHeader(err error) ([5]byte, bool) {
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return rh.RecordHeader, true
	}
	var rhp *tls.RecordHeaderError
	if errors.As(err, &rhp) && rhp != nil {
		return rhp.RecordHeader, true
	}
	return [5]byte{}, false
}

// shortErr is err's text without the "dial tcp 1.2.3.4:80: " prefix of a
// *net.OpError (the address is shown next to it anyway). For display only.
func shortErr(err error) string {
	if err == nil {
		return ""
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// errnoText is the innermost errno's text ("connection refused") when there
// is one, else shortErr. For display only.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return shortErr(err)
}
