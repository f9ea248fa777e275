package probe

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"sync"

	"github.com/updoc/updoc/internal/safefile"
)

// tlsFiles are the files of the graph's tls settings (ca_file, cert_file
// and key_file), read and parsed once per run per path, however many
// upstreams name them. The zero value is ready to use; it belongs to one
// env, hence to one Run.
type tlsFiles struct {
	mu    sync.Mutex
	roots map[string]*rootsFile
	pairs map[[2]string]*keyPairFile

	// read reads a file; nil means safefile.Read with the PEM cap (tests
	// count reads).
	read func(name string) ([]byte, error)
}

type rootsFile struct {
	once sync.Once
	pool *x509.CertPool
	err  error
}

type keyPairFile struct {
	once sync.Once
	cert tls.Certificate
	err  error
}

func (f *tlsFiles) readFile(name string) ([]byte, error) {
	if f.read != nil {
		return f.read(name)
	}
	return safefile.Read(name, safefile.PEMLimit)
}

// rootsFrom returns the pool of the certificates of caFile (a ca_file). A
// file without a PEM certificate gives an empty pool and an error.
func (f *tlsFiles) rootsFrom(caFile string) (*x509.CertPool, error) {
	e := entryOf(&f.mu, &f.roots, caFile)
	e.once.Do(func() {
		pem, err := f.readFile(caFile)
		if err != nil {
			e.err = fmt.Errorf("read ca_file: %w", err)
			return
		}
		e.pool = x509.NewCertPool()
		if !e.pool.AppendCertsFromPEM(pem) {
			e.err = fmt.Errorf("ca_file %s: no PEM certificate found", caFile)
		}
	})
	return e.pool, e.err
}

// keyPair returns the client certificate of certFile and keyFile (cert_file
// and key_file), as tls.LoadX509KeyPair loads it.
func (f *tlsFiles) keyPair(certFile, keyFile string) (tls.Certificate, error) {
	e := entryOf(&f.mu, &f.pairs, [2]string{certFile, keyFile})
	e.once.Do(func() {
		e.cert, e.err = f.loadKeyPair(certFile, keyFile)
		if e.err != nil {
			e.err = fmt.Errorf("load client certificate %s / %s: %w", certFile, keyFile, e.err)
		}
	})
	return e.cert, e.err
}

// loadKeyPair is tls.LoadX509KeyPair reading through f.
func (f *tlsFiles) loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := f.readFile(certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := f.readFile(keyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

// entryOf returns the entry of *m for key, made when there is none; mu
// guards *m.
func entryOf[K comparable, V any](mu *sync.Mutex, m *map[K]*V, key K) *V {
	mu.Lock()
	defer mu.Unlock()
	if *m == nil {
		*m = map[K]*V{}
	}
	e := (*m)[key]
	if e == nil {
		e = new(V)
		(*m)[key] = e
	}
	return e
}
