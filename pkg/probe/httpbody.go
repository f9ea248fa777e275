package probe

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"strings"
)

// readBody reads the body of resp into res: at most max_body bytes as
// sent, then decoded from its Content-Encoding (RFC 9110 §8.4: the codings
// undone in the reverse order they are listed; gzip, x-gzip and deflate
// are known) into at most max_body bytes — a small body that decodes to
// gigabytes is decoded no further. A body cut by max_body decodes as far
// as it goes. It returns the phase and error of a failure: "body" when
// reading failed, "decode" when the body did not decode.
func (p *plan) readBody(res *HTTPResult, resp *http.Response) (phase string, err error) {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, p.maxBody+1))
	cut := int64(len(raw)) > p.maxBody
	if cut {
		raw = raw[:p.maxBody]
	}
	res.Body, res.BodyTruncated = raw, cut
	if err != nil {
		return "body", err
	}
	codings := contentCodings(resp.Header)
	if len(codings) == 0 || len(raw) == 0 {
		return "", nil
	}
	var r io.Reader = bytes.NewReader(raw)
	var done []string
	for i := len(codings) - 1; i >= 0; i-- {
		dec, err := decoder(codings[i], r)
		if errors.Is(err, errUnknownCoding) {
			res.Undecoded = codings[i]
			break
		}
		if err != nil {
			if cut && errors.Is(err, io.ErrUnexpectedEOF) {
				return "", nil
			}
			return "decode", err
		}
		r = dec
		done = append(done, codings[i])
	}
	if len(done) == 0 {
		return "", nil
	}
	b, err := io.ReadAll(io.LimitReader(r, p.maxBody+1))
	if int64(len(b)) > p.maxBody {
		b, cut = b[:p.maxBody], true
	}
	if err != nil && !(cut && errors.Is(err, io.ErrUnexpectedEOF)) {
		return "decode", err
	}
	res.Body, res.BodyTruncated = b, cut
	res.ContentEncoding = strings.Join(done, ", ")
	return "", nil
}

// contentCodings lists the Content-Encoding codings of h in the order
// applied, lower case, without identity.
func contentCodings(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Content-Encoding") {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				out = append(out, c)
			}
		}
	}
	return out
}

var errUnknownCoding = errors.New("unknown content coding")

// decoder undoes coding on r. deflate is the zlib format (RFC 9110
// §8.4.1.2), which some servers send as raw deflate: both are read.
func decoder(coding string, r io.Reader) (io.Reader, error) {
	switch coding {
	case "gzip", "x-gzip":
		return gzip.NewReader(r)
	case "deflate":
		br := bufio.NewReader(r)
		if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			return zlib.NewReader(br)
		}
		return flate.NewReader(br), nil
	}
	return nil, errUnknownCoding
}
