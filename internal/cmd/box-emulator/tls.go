package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"strings"
	"time"
)

// tlsFlags are the HTTPS flags. The provider accepts plain http:// only on
// loopback, so TLS is how a CI job reaches the emulator by a host name (a
// docker-compose or CI service): either the caller's own certificate and
// key, or a self-signed certificate made at start for the names given,
// written out for the client's ca_cert_file.
type tlsFlags struct {
	certFile, keyFile string
	selfSigned        bool
	hosts             string
	caOut             string
}

func addTLSFlags(fs *flag.FlagSet) *tlsFlags {
	t := &tlsFlags{}
	fs.StringVar(&t.certFile, "tls-cert", "", "serve HTTPS with the PEM certificate (chain) in `FILE`; needs -tls-key")
	fs.StringVar(&t.keyFile, "tls-key", "", "PEM private key `FILE` of -tls-cert")
	fs.BoolVar(&t.selfSigned, "tls", false, "serve HTTPS with a self-signed certificate made at start for the listen address, localhost and -tls-hosts; needs -tls-ca-out")
	fs.StringVar(&t.hosts, "tls-hosts", "", "comma-separated extra host `NAMES` (or IPs) the -tls certificate carries, such as a CI service name")
	fs.StringVar(&t.caOut, "tls-ca-out", "", "write the -tls certificate as PEM to `FILE`, for the provider's ca_cert_file")
	return t
}

// check reports a usage error: the two ways exclude each other, and each
// needs its companion flag.
func (t *tlsFlags) check() error {
	own := t.certFile != "" || t.keyFile != ""
	switch {
	case own && t.selfSigned:
		return errors.New("-tls and -tls-cert/-tls-key exclude each other")
	case own && (t.certFile == "" || t.keyFile == ""):
		return errors.New("-tls-cert and -tls-key go together")
	case t.selfSigned && t.caOut == "":
		return errors.New("-tls needs -tls-ca-out FILE (clients must trust the certificate it makes)")
	case !t.selfSigned && (t.hosts != "" || t.caOut != ""):
		return errors.New("-tls-hosts and -tls-ca-out need -tls")
	}
	return nil
}

func (t *tlsFlags) enabled() bool { return t.selfSigned || t.certFile != "" }

// config returns the server's TLS configuration for the listener's address,
// or nil for plain HTTP. With -tls it writes the certificate to -tls-ca-out
// before returning, so the file exists when the startup line is printed.
func (t *tlsFlags) config(addr net.Addr) (*tls.Config, error) {
	if !t.enabled() {
		return nil, nil
	}
	var cert tls.Certificate
	var err error
	if t.selfSigned {
		var certPEM []byte
		cert, certPEM, err = selfSigned(certNames(addr, t.hosts))
		if err == nil {
			err = os.WriteFile(t.caOut, certPEM, 0o644) //nolint:gosec // a public certificate, read by other processes
		}
	} else {
		cert, err = tls.LoadX509KeyPair(t.certFile, t.keyFile)
	}
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// certNames are the names the self-signed certificate carries: the listen
// host (both loopback addresses when it listens on all of them), localhost,
// and the -tls-hosts names.
func certNames(addr net.Addr, hosts string) []string {
	names := []string{"localhost"}
	if tcp, ok := addr.(*net.TCPAddr); ok {
		if tcp.IP.IsUnspecified() {
			names = append(names, "127.0.0.1", "::1")
		} else {
			names = append(names, tcp.IP.String())
		}
	}
	for h := range strings.SplitSeq(hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			names = append(names, h)
		}
	}
	return names
}

// selfSigned makes a certificate for names (IPs as IP SANs) that is its
// own CA, so the one PEM file is what a client trusts.
func selfSigned(names []string) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "box-emulator", Organization: []string{"box-emulator (self-signed, for tests)"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("making the certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key},
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
