package console

import "testing"

// Strings are quoted as Node 20's util.inspect quotes them (each want is
// what node printed for the same string).
func TestQuoteStringAsNode(t *testing.T) {
	for s, want := range map[string]string{
		`plain`:       `'plain'`,
		`it's`:        `"it's"`,
		"a\"b'c":      "`a\"b'c`",
		"a\"b'c`d":    `'a"b\'c` + "`" + `d'`,
		"a\"b'c${x}":  `'a"b\'c${x}'`,
		"tab\there\n": `'tab\there\n'`,
		"del\x7f":     `'del\x7F'`,
		"nul\x00":     `'nul\x00'`,
		"\u0085x":     `'\x85x'`,
		`back\slash`:  `'back\\slash'`,
		"é ü":         `'é ü'`,
	} {
		if got := quoteString(s); got != want {
			t.Errorf("quoteString(%q) = %s, want %s", s, got, want)
		}
	}
}
