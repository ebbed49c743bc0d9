package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// preflight starts every server once in every kind the modes need and
// marks the kinds that do not come up (a listener scheme sockw does not
// have yet, say), so the report names the reason once instead of as a
// failed run per repetition.
func preflight(ctx context.Context, p *paths, env []string, ss []*server, ms []mode) {
	var pp ports
	pp.next = 32000 - 500
	for _, s := range ss {
		tried := map[string]bool{}
		for _, m := range ms {
			if tried[m.kind] || !s.supports(m.kind) {
				continue
			}
			tried[m.kind] = true
			port, err := pp.take()
			if err != nil {
				s.why[m.kind] = err.Error()
				continue
			}
			if err := startOnce(ctx, p, env, s, m.kind, port); err != nil {
				s.why[m.kind] = "does not start: " + oneLine(err.Error())
				fmt.Fprintf(os.Stderr, "%s cannot serve %s: %v\n", s.name, m.kind, oneLine(err.Error()))
			}
		}
	}
}

func startOnce(ctx context.Context, p *paths, env []string, s *server, kind string, port int) error {
	args := s.cmd(kind, port)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Env = p.root, env
	var log tailBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer stopServer(cmd, exited)
	if err := waitListening(ctx, kind, port, exited); err != nil {
		return fmt.Errorf("%w; its output: %s", err, log.String())
	}
	return nil
}
