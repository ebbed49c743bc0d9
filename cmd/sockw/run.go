package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/quic-go/quic-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/sockw/sockw/internal/gcpace"
	"github.com/sockw/sockw/listener"
	"github.com/sockw/sockw/runtime"
	"github.com/sockw/sockw/runtime/bundle"
)

type runOptions struct {
	listen    listFlag
	vars      listFlag
	name      string
	isolates  int
	cpuLimit  time.Duration
	maxConns  int
	watch     bool
	grace     time.Duration
	logFormat string
	logLevel  string
	cert, key string
	alpn      listFlag
	dataDir   string
	egress    egressFlags
	gc        int
	pprof     string
}

func runFlags(out io.Writer) (*flag.FlagSet, *runOptions) {
	o := &runOptions{}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Var(&o.listen, "listen", "address to accept connections on, e.g. tcp://127.0.0.1:8787 (repeatable)")
	fs.Var(&o.vars, "var", "NAME=value to put in the worker's env (repeatable)")
	fs.StringVar(&o.name, "name", "", "worker name in logs (default: the script's file name)")
	fs.IntVar(&o.isolates, "isolates", 0, "isolates (shards) to run; 1 makes all connections share state (default: one per CPU)")
	fs.DurationVar(&o.cpuLimit, "cpu-limit", runtime.DefaultCPULimit, "interrupt a task that runs longer than this and close its connection")
	fs.IntVar(&o.maxConns, "max-connections", runtime.DefaultMaxConnections, "open connections allowed; more are closed on arrival")
	fs.BoolVar(&o.watch, "watch", false, "reload when the script or its imports change; open connections finish on the old version")
	fs.DurationVar(&o.grace, "grace", 10*time.Second, "on Ctrl-C or SIGTERM, how long open connections may take to finish")
	fs.StringVar(&o.logFormat, "log-format", "console", "log format: console or json")
	fs.StringVar(&o.logLevel, "log-level", "info", "lowest log level: debug, info, warn or error")
	fs.StringVar(&o.cert, "cert", "", "PEM certificate (chain) for tls:// listeners and socket.startTls(); default: a development certificate for localhost")
	fs.StringVar(&o.key, "key", "", "PEM private key of --cert")
	fs.Var(&o.alpn, "alpn", "ALPN protocol tls:// and quic:// listeners offer, e.g. smtp or h3 (repeatable; quic:// needs one); opened tells which the client chose")
	fs.StringVar(&o.dataDir, "data-dir", "", "where the worker's KV namespaces are stored (default: .sockw/data/NAME)")
	fs.IntVar(&o.gc, "gc-headroom", gcpace.DefaultHeadroom>>20, "MiB the heap may grow by between garbage collections while it is small: less CPU for the collector, up to that much more memory (0: Go's GOGC pacing alone; GOMEMLIMIT still applies)")
	fs.StringVar(&o.pprof, "pprof", "", "serve Go's profiles (net/http/pprof) at this address, e.g. 127.0.0.1:6060; keep it on loopback: anyone who reaches it sees the process's internals")
	o.egress.register(fs)
	fs.Usage = func() {
		fmt.Fprint(out, `Usage: sockw run [flags] SCRIPT|FOLDER

Serves the worker in SCRIPT on each --listen address. Every accepted
connection becomes one connect event: socket.readable gives the bytes the
peer sent, socket.writable sends bytes back.

A FOLDER runs by convention: its sockw.json names the entry file ("main"),
"isolates", "vars" and "kv_namespaces" ([{"binding": "MAILBOX"}] puts a
key-value namespace at env.MAILBOX, stored in the data directory); flags
override it.

Examples:
  sockw run scripts/echo.js --listen tcp://127.0.0.1:8787
  sockw run worker.ts --listen tcp://0.0.0.0:2525 --var GREETING=hi --watch
  sockw run broker.js --listen tcp://127.0.0.1:1883 --isolates 1
  sockw run smtp.js --listen tcp://127.0.0.1:2525 --cert cert.pem --key key.pem
  sockw run echo.js --listen tls://127.0.0.1:8443     # development certificate
  sockw run scripts/quic-echo.js --listen quic://127.0.0.1:4433 --alpn echo
  sockw run scripts/udp-echo.js --listen udp://127.0.0.1:5353

Flags:
`)
		fs.PrintDefaults()
	}
	return fs, o
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := runFlags(stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "sockw run: want exactly one SCRIPT")
		fs.Usage()
		return errUsage
	}
	if len(o.listen) == 0 {
		fmt.Fprintln(stderr, "sockw run: give at least one --listen address, e.g. --listen tcp://127.0.0.1:8787")
		return errUsage
	}
	vars, err := parseVars(o.vars)
	if err != nil {
		return err
	}
	addrs := make([]listener.Address, len(o.listen))
	for i, s := range o.listen {
		if addrs[i], err = listener.ParseAddress(s); err != nil {
			return err
		}
	}
	if o.gc < 0 {
		return fmt.Errorf("--gc-headroom %d: want 0 or more MiB", o.gc)
	}
	logger, err := newLogger(stderr, o.logFormat, o.logLevel)
	if err != nil {
		return err
	}
	defer logger.Sync()
	defer gcpace.Start(uint64(o.gc) << 20)()
	policy, err := o.egress.policy()
	if err != nil {
		return err
	}
	tlsConfig, err := serverTLS(o.cert, o.key, logger)
	if err != nil {
		return err
	}
	tlsConfig.NextProtos = o.alpn
	script, proj, err := loadProject(pos[0])
	if err != nil {
		return err
	}
	name := o.name
	if name == "" {
		name = proj.Name
	}
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(script), filepath.Ext(script))
	}
	for k, v := range proj.Vars {
		if _, set := vars[k]; !set {
			vars[k] = v
		}
	}
	if o.isolates == 0 {
		o.isolates = proj.Isolates
	}
	dataDir := o.dataDir
	if dataDir == "" {
		dataDir = filepath.Join(".sockw", "data", name)
	}
	stores, closeStores, err := openKV(proj, dataDir)
	if err != nil {
		return err
	}
	defer closeStores()
	cpu := o.cpuLimit
	if cpu == 0 {
		cpu = -1
	}
	w, err := runtime.NewWorker(runtime.Config{
		Name: name, Entry: script, Vars: vars, Isolates: o.isolates,
		CPULimit: cpu, MaxConnections: o.maxConns, Logger: logger,
		TLS: tlsConfig, Egress: policy, KV: stores,
	})
	if err != nil {
		var be *bundle.BuildError
		if errors.As(err, &be) {
			fmt.Fprintln(stderr, err)
			return errReported
		}
		return err
	}
	var lns []servedListener
	for _, a := range addrs {
		ln, err := listen(ctx, a, tlsConfig, w, logger)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			w.Shutdown(context.Background())
			return err
		}
		lns = append(lns, ln)
	}
	var serving sync.WaitGroup
	for _, ln := range lns {
		logger.Info("listening", zap.String("listen", ln.url), zap.String("script", script))
		serving.Add(1)
		go func(ln servedListener) {
			defer serving.Done()
			ln.serve()
		}(ln)
	}
	if o.watch {
		go watch(ctx, w, logger)
	}
	if o.pprof != "" {
		stop, err := servePprof(o.pprof, logger)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			w.Shutdown(context.Background())
			return err
		}
		defer stop()
	}
	<-ctx.Done()
	for _, ln := range lns {
		ln.Close()
	}
	logger.Info("shutting down: no new connections; waiting for open ones", zap.Duration("grace", o.grace), zap.Int64("open_connections", w.OpenConnections()))
	serving.Wait()
	sctx, cancel := context.WithTimeout(context.Background(), o.grace)
	defer cancel()
	if err := w.Shutdown(sctx); err != nil {
		logger.Warn("grace period over; closed the remaining connections")
	}
	logger.Info("stopped")
	return nil
}

// servedListener is a bound listener and how to serve it.
type servedListener struct {
	url   string
	serve func() error
	Close func() error
}

func listen(ctx context.Context, a listener.Address, tlsConfig *tls.Config, w *runtime.Worker, logger *zap.Logger) (servedListener, error) {
	switch a.Network {
	case "udp":
		ln, err := listener.ListenUDP(ctx, a, listener.UDPConfig{}, logger)
		if err != nil {
			return servedListener{}, err
		}
		return servedListener{
			url:   "udp://" + ln.Addr().String(),
			serve: func() error { return ln.Serve(func(f *listener.Flow) { w.ServeFlow(f) }) },
			Close: ln.Close,
		}, nil
	case "quic":
		if len(tlsConfig.NextProtos) == 0 {
			return servedListener{}, fmt.Errorf("listen %s: QUIC needs an application protocol: add --alpn NAME (clients must offer the same)", a)
		}
		ln, err := listener.ListenQUIC(ctx, a, tlsConfig, listener.QUICConfig{}, logger)
		if err != nil {
			return servedListener{}, err
		}
		return servedListener{
			url:   "quic://" + ln.Addr().String(),
			serve: func() error { return ln.Serve(func(c *quic.Conn) { w.ServeQUIC(c) }) },
			Close: ln.Close,
		}, nil
	case "tls":
		ln, err := listener.ListenTLS(ctx, a, tlsConfig, logger)
		if err != nil {
			return servedListener{}, err
		}
		return servedListener{
			url:   "tls://" + ln.Addr().String(),
			serve: func() error { return ln.Serve(func(c *tls.Conn) { w.ServeConn(c) }) },
			Close: ln.Close,
		}, nil
	default:
		ln, err := listener.ListenTCP(ctx, a, logger)
		if err != nil {
			return servedListener{}, err
		}
		return servedListener{
			url:   "tcp://" + ln.Addr().String(),
			serve: func() error { return ln.Serve(func(c *net.TCPConn) { w.ServeConn(c) }) },
			Close: ln.Close,
		}, nil
	}
}

// serverTLS loads --cert/--key, or the development certificate, which is
// made on first use and named with its fingerprint so a client can pin it.
func serverTLS(certFile, keyFile string, logger *zap.Logger) (*tls.Config, error) {
	if (certFile == "") != (keyFile == "") {
		return nil, fmt.Errorf("--cert and --key go together")
	}
	if certFile != "" {
		cert, err := listener.LoadCertificate(certFile, keyFile)
		if err != nil {
			return nil, err
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	cert, file, created, err := listener.DevCertificate(filepath.Join(dir, "sockw"))
	if err != nil {
		return nil, err
	}
	verb := "using"
	if created {
		verb = "created"
	}
	logger.Info(verb+" the development certificate for tls:// listeners and startTls()", zap.String("cert", file), zap.String("sha256", listener.Fingerprint(cert)))
	return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
}

func parseVars(list []string) (map[string]string, error) {
	vars := make(map[string]string, len(list))
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--var %q: want NAME=value", kv)
		}
		vars[k] = v
	}
	return vars, nil
}

func newLogger(out io.Writer, format, level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	encCfg := zap.NewProductionEncoderConfig()
	encCfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var enc zapcore.Encoder
	switch format {
	case "json":
		enc = zapcore.NewJSONEncoder(encCfg)
	case "console":
		encCfg.EncodeLevel = zapcore.CapitalLevelEncoder
		enc = zapcore.NewConsoleEncoder(encCfg)
	default:
		return nil, fmt.Errorf("--log-format %q: want console or json", format)
	}
	core := zapcore.NewCore(enc, zapcore.Lock(zapcore.AddSync(out)), lvl)
	return zap.New(core), nil
}

// watch reloads the worker when one of its files changes. It polls, which
// needs no platform support and costs a stat per file every interval.
func watch(ctx context.Context, w *runtime.Worker, logger *zap.Logger) {
	const every = 300 * time.Millisecond
	stamp := func(files []string) map[string]time.Time {
		m := make(map[string]time.Time, len(files))
		for _, f := range files {
			if st, err := os.Stat(f); err == nil {
				m[f] = st.ModTime()
			}
		}
		return m
	}
	seen := stamp(w.Inputs())
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := stamp(w.Inputs())
		changed := len(now) != len(seen)
		for f, m := range now {
			changed = changed || !seen[f].Equal(m)
		}
		if !changed {
			continue
		}
		seen = now
		if err := w.Reload(); err != nil {
			logger.Error("reload failed; the previous version keeps serving", zap.Error(err))
			continue
		}
		seen = stamp(w.Inputs())
	}
}
