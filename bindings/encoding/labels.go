package encoding

import (
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// encodingInfo is one encoding TextDecoder supports.
type encodingInfo struct {
	name string // the spec's lowercase name, what TextDecoder.encoding returns
	// unicode marks UTF-8 and UTF-16, whose decoders strip a leading BOM.
	unicode bool
	newDec  func() decoder
}

var (
	encUTF8    = &encodingInfo{name: "utf-8", unicode: true, newDec: func() decoder { return &utf8Decoder{} }}
	encUTF16LE = &encodingInfo{name: "utf-16le", unicode: true, newDec: func() decoder { return newUTF16Decoder(false) }}
	encUTF16BE = &encodingInfo{name: "utf-16be", unicode: true, newDec: func() decoder { return newUTF16Decoder(true) }}
)

func singleByte(name string, cm *charmap.Charmap) *encodingInfo {
	c1 := strings.HasPrefix(name, "windows-")
	return &encodingInfo{name: name, newDec: func() decoder { return singleByteDecoder{cm, c1} }}
}

// labels is the label table of https://encoding.spec.whatwg.org/#names-and-labels
// for every encoding this package decodes: UTF-8, UTF-16 and the legacy
// single-byte encodings. The legacy multi-byte encodings (gbk, big5,
// shift_jis, ...) and "replacement" are left out, so their labels throw a
// RangeError as unknown labels do. It is never written after init.
var labels = func() map[string]*encodingInfo {
	m := make(map[string]*encodingInfo, 230)
	add := func(e *encodingInfo, names ...string) {
		for _, n := range names {
			m[n] = e
		}
	}
	add(encUTF8, "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8")
	add(encUTF16BE, "unicodefffe", "utf-16be")
	add(encUTF16LE, "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le")
	add(singleByte("ibm866", charmap.CodePage866), "866", "cp866", "csibm866", "ibm866")
	add(singleByte("iso-8859-2", charmap.ISO8859_2), "csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987", "l2", "latin2")
	add(singleByte("iso-8859-3", charmap.ISO8859_3), "csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3", "iso_8859-3:1988", "l3", "latin3")
	add(singleByte("iso-8859-4", charmap.ISO8859_4), "csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988", "l4", "latin4")
	add(singleByte("iso-8859-5", charmap.ISO8859_5), "csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988")
	add(singleByte("iso-8859-6", charmap.ISO8859_6), "arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987")
	add(singleByte("iso-8859-7", charmap.ISO8859_7), "csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek")
	add(singleByte("iso-8859-8", charmap.ISO8859_8), "csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual")
	add(singleByte("iso-8859-8-i", charmap.ISO8859_8), "csiso88598i", "iso-8859-8-i", "logical")
	add(singleByte("iso-8859-10", charmap.ISO8859_10), "csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6")
	add(singleByte("iso-8859-13", charmap.ISO8859_13), "iso-8859-13", "iso8859-13", "iso885913")
	add(singleByte("iso-8859-14", charmap.ISO8859_14), "iso-8859-14", "iso8859-14", "iso885914")
	add(singleByte("iso-8859-15", charmap.ISO8859_15), "csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9")
	add(singleByte("iso-8859-16", charmap.ISO8859_16), "iso-8859-16")
	add(singleByte("koi8-r", charmap.KOI8R), "cskoi8r", "koi", "koi8", "koi8-r", "koi8_r")
	add(singleByte("koi8-u", charmap.KOI8U), "koi8-ru", "koi8-u")
	add(singleByte("macintosh", charmap.Macintosh), "csmacintosh", "mac", "macintosh", "x-mac-roman")
	add(singleByte("windows-874", charmap.Windows874), "dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874")
	add(singleByte("windows-1250", charmap.Windows1250), "cp1250", "windows-1250", "x-cp1250")
	add(singleByte("windows-1251", charmap.Windows1251), "cp1251", "windows-1251", "x-cp1251")
	add(singleByte("windows-1252", charmap.Windows1252), "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252")
	add(singleByte("windows-1253", charmap.Windows1253), "cp1253", "windows-1253", "x-cp1253")
	add(singleByte("windows-1254", charmap.Windows1254), "cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254")
	add(singleByte("windows-1255", charmap.Windows1255), "cp1255", "windows-1255", "x-cp1255")
	add(singleByte("windows-1256", charmap.Windows1256), "cp1256", "windows-1256", "x-cp1256")
	add(singleByte("windows-1257", charmap.Windows1257), "cp1257", "windows-1257", "x-cp1257")
	add(singleByte("windows-1258", charmap.Windows1258), "cp1258", "windows-1258", "x-cp1258")
	add(singleByte("x-mac-cyrillic", charmap.MacintoshCyrillic), "x-mac-cyrillic", "x-mac-ukrainian")
	add(singleByte("x-user-defined", charmap.XUserDefined), "x-user-defined")
	return m
}()

// lookupLabel implements "get an encoding": it trims ASCII whitespace, folds
// ASCII case and looks the label up. It returns nil for unknown labels.
func lookupLabel(label string) *encodingInfo {
	if e := labels[label]; e != nil { // the common case: "utf-8" as written
		return e
	}
	label = strings.Trim(label, "\t\n\f\r ")
	lower := make([]byte, len(label))
	for i := 0; i < len(label); i++ {
		c := label[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return labels[string(lower)]
}
