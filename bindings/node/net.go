package node

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"time"

	"github.com/dop251/goja"

	"github.com/sockw/sockw/bindings/sockets"
)

// dnsTimeout bounds one lookup, as the system resolver's retries would.
const dnsTimeout = 10 * time.Second

// installNet gives node:tls the TLS choices connect() has no option for,
// and node:dns the host's resolver, run off the loop.
func (b *Binding) installNet(o *goja.Object) error {
	if err := o.Set("configureTLS", b.configureTLS); err != nil {
		return err
	}
	if err := o.Set("dnsLookup", b.dnsLookup); err != nil {
		return err
	}
	return o.Set("dnsResolve", b.dnsResolve)
}

// configureTLS(socket, ca, rejectUnauthorized) sets how a starttls socket
// will verify its server: ca is undefined, a PEM string or an array of them.
func (b *Binding) configureTLS(call goja.FunctionCall) goja.Value {
	if b.opts.Sockets == nil {
		panic(b.rt.NewTypeError("outbound sockets are not available here"))
	}
	var c sockets.ClientTLS
	if ca := call.Argument(1); !goja.IsUndefined(ca) && !goja.IsNull(ca) {
		var pems []string
		switch v := ca.Export().(type) {
		case []any:
			for _, p := range v {
				pems = append(pems, b.pemOf(b.rt.ToValue(p)))
			}
		default:
			pems = append(pems, b.pemOf(ca))
		}
		c.RootCAs = x509.NewCertPool()
		for _, p := range pems {
			if !c.RootCAs.AppendCertsFromPEM([]byte(p)) {
				panic(b.rt.NewTypeError("tls: the ca option holds no PEM certificate"))
			}
		}
	}
	c.SkipVerify = !call.Argument(2).ToBoolean()
	if err := b.opts.Sockets.ConfigureClientTLS(call.Argument(0), c); err != nil {
		panic(b.rt.NewTypeError("tls: %v", err))
	}
	return goja.Undefined()
}

// pemOf reads a PEM given as a string or as bytes (a Buffer).
func (b *Binding) pemOf(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		if u8, ok := o.Export().([]byte); ok {
			return string(u8)
		}
	}
	return v.String()
}

// dnsLookup(hostname, family, callback) resolves a name as getaddrinfo
// would and calls callback(err, [{address, family}]) on the loop.
func (b *Binding) dnsLookup(call goja.FunctionCall) goja.Value {
	host := call.Argument(0).String()
	network := "ip"
	switch call.Argument(1).ToInteger() {
	case 4:
		network = "ip4"
	case 6:
		network = "ip6"
	}
	b.dnsCall(call.Argument(2), "getaddrinfo", host, func(ctx context.Context) (any, error) {
		ips, err := net.DefaultResolver.LookupIP(ctx, network, host)
		list := make([]any, 0, len(ips))
		for _, ip := range ips {
			f := 6
			if ip.To4() != nil {
				f = 4
			}
			list = append(list, map[string]any{"address": ip.String(), "family": f})
		}
		return list, err
	})
	return goja.Undefined()
}

// dnsResolve(hostname, rrtype, callback) asks DNS for records of one type
// and calls callback(err, records) in node:dns's shapes.
func (b *Binding) dnsResolve(call goja.FunctionCall) goja.Value {
	host := call.Argument(0).String()
	rrtype := call.Argument(1).String()
	b.dnsCall(call.Argument(2), "query"+rrtype, host, func(ctx context.Context) (any, error) {
		return resolve(ctx, host, rrtype)
	})
	return goja.Undefined()
}

// dnsCall runs query on another goroutine, within dnsTimeout, and then calls
// callback on the loop with node:dns's error or (null, result).
func (b *Binding) dnsCall(callback goja.Value, syscall, host string, query func(context.Context) (any, error)) {
	cb, ok := goja.AssertFunction(callback)
	if !ok {
		panic(b.rt.NewTypeError("node:dns: callback is not a function"))
	}
	done := b.h.Loop.RegisterCallback()
	ctx := b.h.Context
	go func() {
		ctx, cancel := context.WithTimeout(ctx, dnsTimeout)
		defer cancel()
		res, err := query(ctx)
		done(func() error {
			if err != nil {
				_, err := cb(goja.Undefined(), b.dnsError(err, syscall, host))
				return err
			}
			_, err := cb(goja.Undefined(), goja.Null(), b.rt.ToValue(res))
			return err
		})
	}()
}

func resolve(ctx context.Context, host, rrtype string) ([]any, error) {
	r := net.DefaultResolver
	var out []any
	switch rrtype {
	case "A", "AAAA":
		network := "ip4"
		if rrtype == "AAAA" {
			network = "ip6"
		}
		ips, err := r.LookupIP(ctx, network, host)
		for _, ip := range ips {
			out = append(out, ip.String())
		}
		return out, err
	case "CNAME":
		name, err := r.LookupCNAME(ctx, host)
		return []any{name}, err
	case "MX":
		mxs, err := r.LookupMX(ctx, host)
		for _, mx := range mxs {
			out = append(out, map[string]any{"exchange": mx.Host, "priority": mx.Pref})
		}
		return out, err
	case "TXT":
		txts, err := r.LookupTXT(ctx, host)
		for _, t := range txts {
			out = append(out, []any{t})
		}
		return out, err
	case "NS":
		nss, err := r.LookupNS(ctx, host)
		for _, ns := range nss {
			out = append(out, ns.Host)
		}
		return out, err
	case "SRV":
		_, srvs, err := r.LookupSRV(ctx, "", "", host)
		for _, s := range srvs {
			out = append(out, map[string]any{"name": s.Target, "port": s.Port, "priority": s.Priority, "weight": s.Weight})
		}
		return out, err
	}
	return nil, errors.New("ENOTIMP")
}

// dnsError is node:dns's error: code ENOTFOUND, ETIMEOUT, ...; syscall and
// hostname say what was asked.
func (b *Binding) dnsError(err error, syscall, host string) goja.Value {
	code := "ESERVFAIL"
	var de *net.DNSError
	switch {
	case err.Error() == "ENOTIMP":
		code = "ENOTIMP"
	case errors.As(err, &de) && de.IsNotFound:
		code = "ENOTFOUND"
	case errors.As(err, &de) && de.IsTimeout, errors.Is(err, context.DeadlineExceeded):
		code = "ETIMEOUT"
	}
	if syscall == "getaddrinfo" && code == "ETIMEOUT" {
		code = "EAI_AGAIN"
	}
	e := b.rt.NewGoError(err)
	e.Set("message", syscall+" "+code+" "+host)
	e.Set("code", code)
	e.Set("errno", code)
	e.Set("syscall", syscall)
	e.Set("hostname", host)
	return e
}
