package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// chart draws the pinned ratios to Node (QUIC: to Go) as horizontal bars on
// a log scale, one group per mode, as a self-contained SVG.
func (r *report) chart() string {
	const (
		width   = 880
		left    = 190 // labels
		right   = 90
		barH    = 13
		gap     = 4
		headH   = 26
		lo, hi  = -3.0, 4.0 // log2 of the axis ends: 1/8 .. 16
		topAxis = 56
	)
	plotW := float64(width - left - right)
	x := func(ratio float64) float64 {
		l := math.Max(lo, math.Min(hi, math.Log2(ratio)))
		return left + (l-lo)/(hi-lo)*plotW
	}
	type bar struct {
		name  string
		ratio float64
	}
	type group struct {
		title string
		bars  []bar
	}
	var groups []group
	for _, m := range r.modes {
		base, baseName := "node", "Node"
		if m.kind == kindQUIC {
			base, baseName = "go", "Go"
		}
		what := "server CPU per op"
		if m.idle {
			what = "RSS per connection"
		}
		g := group{title: fmt.Sprintf("%s: %s vs %s", m.label, what, baseName)}
		for _, s := range r.servers {
			if v := r.ratio(m, s.name, base, true); !math.IsNaN(v) && !math.IsInf(v, 0) {
				g.bars = append(g.bars, bar{s.name, v})
			}
		}
		if len(g.bars) > 0 {
			groups = append(groups, g)
		}
	}
	height := topAxis + 30
	for _, g := range groups {
		height += headH + len(g.bars)*(barH+gap)
	}
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	p(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	p(`<text x="%d" y="22" font-size="15" font-weight="bold">Cost relative to Node, pinned (log scale; left of 1 is cheaper)</text>`+"\n", 10)
	p(`<text x="%d" y="40" fill="#555">%s, %d cores, %s; %s</text>`+"\n", 10, html.EscapeString(r.m.cpuModel), r.m.cpus, html.EscapeString(r.m.date), reps(r.m.repsRun))
	axisBottom := height - 24
	for e := lo; e <= hi; e++ {
		gx := x(math.Exp2(e))
		stroke, w := "#ddd", 1
		if e == 0 {
			stroke, w = "#333", 2
		}
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="%d"/>`+"\n", gx, topAxis, gx, axisBottom, stroke, w)
		label := fmt.Sprintf("%g", math.Exp2(e))
		if e < 0 {
			label = fmt.Sprintf("1/%g", math.Exp2(-e))
		}
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n", gx, axisBottom+16, label)
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n", gx, topAxis-4, label)
	}
	y := topAxis + 6
	for _, g := range groups {
		p(`<text x="10" y="%d" font-weight="bold">%s</text>`+"\n", y+16, html.EscapeString(g.title))
		y += headH
		for _, bb := range g.bars {
			x0, x1 := x(1), x(bb.ratio)
			if x1 < x0 {
				x0, x1 = x1, x0
			}
			color := barColor(bb.name)
			p(`<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+barH-2, html.EscapeString(bb.name))
			p(`<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", x0, y, math.Max(x1-x0, 1), barH, color)
			tx, anchor := x(bb.ratio)+4, "start"
			if bb.ratio < 1 {
				tx, anchor = x(bb.ratio)-4, "end"
			}
			clip := ""
			if math.Log2(bb.ratio) > hi || math.Log2(bb.ratio) < lo {
				clip = " (off scale)"
			}
			p(`<text x="%.1f" y="%d" text-anchor="%s" font-size="11">%.2f%s</text>`+"\n", tx, y+barH-2, anchor, bb.ratio, clip)
			y += barH + gap
		}
	}
	p("</svg>\n")
	return b.String()
}

func barColor(server string) string {
	switch {
	case server == "sockw-pipe":
		return "#6a3fc8"
	case server == "sockw-loop":
		return "#a98ae6"
	case server == "workerd-pipe":
		return "#f38020"
	case server == "workerd-loop":
		return "#f9b77a"
	case server == "go":
		return "#00add8"
	case server == "node":
		return "#5fa04e"
	case server == "bun":
		return "#c9a46b"
	case server == "deno":
		return "#555555"
	}
	return "#888888"
}
