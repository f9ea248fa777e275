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

// BodyKeep is how many bytes of a body's start, and of its end, a result
// keeps: the whole body when it is at most 2×BodyKeep bytes, else its first
// and its last BodyKeep bytes (SPEC §3 records the first 512; the end holds
// the decisive words of a long one-line error, such as Envoy's reset
// reason). The bytes between are read — up to max_body, and checked
// against expect — then let go, so that what a run keeps of bodies grows
// with the number of targets, never with what the servers send (issue 12).
const BodyKeep = 512

// readBody reads the body of resp into res as a stream: at most max_body
// bytes as sent, decoded from its Content-Encoding (RFC 9110 §8.4: the
// codings undone in the reverse order they are listed; gzip, x-gzip and
// deflate are known) into at most max_body bytes — a small body that
// decodes to gigabytes is decoded no further. A body cut by max_body
// decodes as far as it goes. On the way, expect's body_contains and
// body_regex are checked on the whole body read (res.BodyMissing,
// res.BodyUnmatched); res keeps its ends (BodyKeep) and its length. It
// returns the phase and error of a failure: "body" when reading failed,
// "decode" when the body did not decode (res then keeps the body as sent).
func (p *plan) readBody(res *HTTPResult, resp *http.Response) (phase string, err error) {
	raw := &capped{r: resp.Body, left: p.maxBody}
	sent := &keeper{}
	var body io.Reader = io.TeeReader(raw, sent)
	codings := contentCodings(resp.Header)
	if len(codings) > 0 {
		in := bufio.NewReader(body)
		body = in
		if _, err := in.Peek(1); err != nil {
			codings = nil // an empty body, or a read that failed at once (met again below): nothing to decode
		}
	}
	if len(codings) > 0 {
		var done []string
		for i := len(codings) - 1; i >= 0; i-- {
			dec, err := decoder(codings[i], body)
			if errors.Is(err, errUnknownCoding) {
				res.Undecoded = codings[i]
				break
			}
			if err != nil {
				return p.bodyFailed(res, raw, sent, err)
			}
			body = dec
			done = append(done, codings[i])
		}
		res.ContentEncoding = strings.Join(done, ", ")
	}
	decoded := &capped{r: body, left: p.maxBody}
	kept := &keeper{}
	found := &finder{needle: []byte(p.u.Expect.BodyContains)}
	stream := io.TeeReader(decoded, io.MultiWriter(kept, found))
	if re := p.u.Expect.BodyRegex; re != nil {
		res.BodyUnmatched = !re.MatchReader(bufio.NewReader(stream))
	}
	_, err = io.Copy(io.Discard, stream)
	if err == nil {
		err = decoded.err
	}
	cutShort := raw.more && errors.Is(err, io.ErrUnexpectedEOF) // decoded as far as max_body let it
	if err != nil && raw.err == nil && res.ContentEncoding != "" && !cutShort {
		return p.bodyFailed(res, raw, sent, err)
	}
	res.Body, res.BodyBytes = kept.bytes(), kept.n
	res.BodyTruncated = raw.more || decoded.more
	res.BodyMissing = len(found.needle) > 0 && !found.found
	if raw.err != nil {
		return "body", raw.err
	}
	return "", nil
}

// bodyFailed records a body that did not decode: as sent, unless it was
// cut by max_body and decoded as far as it went (io.ErrUnexpectedEOF),
// which is no failure.
func (p *plan) bodyFailed(res *HTTPResult, raw *capped, sent *keeper, err error) (string, error) {
	_, _ = io.Copy(sent, raw) // the rest as sent, up to max_body
	res.Body, res.BodyBytes, res.BodyTruncated = sent.bytes(), sent.n, raw.more
	res.ContentEncoding = ""
	switch {
	case raw.err != nil:
		return "body", raw.err
	case raw.more && errors.Is(err, io.ErrUnexpectedEOF):
		return "", nil
	}
	return "decode", err
}

// capped reads at most left bytes of r; then more says whether r had more
// to give (one byte further is read to know), and err is r's first error
// other than io.EOF.
type capped struct {
	r    io.Reader
	left int64
	more bool
	err  error
}

func (c *capped) Read(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.left <= 0 {
		var one [1]byte
		if n, _ := io.ReadFull(c.r, one[:]); n > 0 {
			c.more = true
		}
		return 0, io.EOF
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

// keeper is an io.Writer that counts the bytes written to it (n) and keeps
// the first and the last BodyKeep of them.
type keeper struct {
	n    int64
	head []byte
	tail []byte // the last bytes after head: at most 2×BodyKeep between trims
}

func (k *keeper) Write(b []byte) (int, error) {
	k.n += int64(len(b))
	written := len(b)
	if room := BodyKeep - len(k.head); room > 0 {
		m := min(room, len(b))
		k.head = append(k.head, b[:m]...)
		b = b[m:]
	}
	if len(b) >= BodyKeep {
		k.tail = append(k.tail[:0], b[len(b)-BodyKeep:]...)
		return written, nil
	}
	k.tail = append(k.tail, b...)
	if len(k.tail) > 2*BodyKeep {
		k.tail = k.tail[:copy(k.tail, k.tail[len(k.tail)-BodyKeep:])]
	}
	return written, nil
}

// bytes is what k keeps: everything when at most 2×BodyKeep bytes came,
// else the first and the last BodyKeep.
func (k *keeper) bytes() []byte {
	tail := k.tail
	if len(tail) > BodyKeep {
		tail = tail[len(tail)-BodyKeep:]
	}
	if len(k.head)+len(tail) == 0 {
		return nil
	}
	return append(append(make([]byte, 0, len(k.head)+len(tail)), k.head...), tail...)
}

// finder is an io.Writer that looks for needle in what is written to it,
// across writes (found).
type finder struct {
	needle []byte
	found  bool
	carry  []byte // the last len(needle)-1 bytes written
}

func (f *finder) Write(b []byte) (int, error) {
	if f.found || len(f.needle) == 0 {
		return len(b), nil
	}
	k := len(f.needle) - 1
	if len(f.carry) > 0 {
		joint := append(append([]byte(nil), f.carry...), b[:min(len(b), k)]...)
		if bytes.Contains(joint, f.needle) {
			f.found = true
			return len(b), nil
		}
	}
	if bytes.Contains(b, f.needle) {
		f.found = true
		return len(b), nil
	}
	if len(b) >= k {
		f.carry = append(f.carry[:0], b[len(b)-k:]...)
	} else {
		f.carry = append(f.carry, b...)
		f.carry = f.carry[:copy(f.carry, f.carry[max(0, len(f.carry)-k):])]
	}
	return len(b), nil
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
