package emulator

import (
	"bytes"
	"unicode/utf8"
)

// Box Sign converts documents, presentations, spreadsheets, images and
// text to PDF ("Supported file types" in the Sign guide); anything else
// ends in error_converting. The emulator tells them apart by their first
// bytes, since a name's extension proves nothing (FIDELITY.md,
// "Conversion").
var convertibleMagic = [][]byte{
	[]byte("%PDF-"),
	[]byte("PK\x03\x04"),                       // OOXML and ODF (zip)
	[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), // legacy Office (OLE2)
	[]byte("\x89PNG\r\n\x1a\n"),                // PNG
	[]byte("\xFF\xD8\xFF"),                     // JPEG
	[]byte("II*\x00"), []byte("MM\x00*"),       // TIFF
	[]byte("GIF87a"), []byte("GIF89a"), // GIF
	[]byte("{\\rtf"), // RTF
}

// convertible reports whether Box Sign would convert content to PDF.
func convertible(content []byte) bool {
	for _, m := range convertibleMagic {
		if bytes.HasPrefix(content, m) {
			return true
		}
	}
	// Plain text (txt, csv): valid UTF-8 without NUL bytes.
	return len(content) > 0 && utf8.Valid(content) && !bytes.ContainsRune(content, 0)
}

func allConvertible(files []*file) bool {
	for _, f := range files {
		if !convertible(f.Content) {
			return false
		}
	}
	return true
}
