package emulator

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// Box Sign converts documents, presentations, png/jpg/jpeg/tiff images and
// csv/txt text to PDF (support article "Sending a document for
// signature", "Supported file types"); anything else, GIF included, ends
// in error_converting (FIDELITY.md, "Lifecycle and conversion"). Binary
// formats are told by their first bytes, since a name's extension proves
// nothing about them; plain text has no signature, so its extension
// decides which text Box Sign takes.
var convertibleMagic = [][]byte{
	[]byte("%PDF-"),
	[]byte("PK\x03\x04"),                       // OOXML and ODF (zip)
	[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), // legacy Office (OLE2)
	[]byte("\x89PNG\r\n\x1a\n"),                // PNG
	[]byte("\xFF\xD8\xFF"),                     // JPEG
	[]byte("II*\x00"), []byte("MM\x00*"),       // TIFF
	[]byte("{\\rtf"), // RTF
}

// textExtensions are the text files Box Sign lists.
var textExtensions = []string{".csv", ".txt"}

// convertible reports whether Box Sign would convert a file with this name
// and content to PDF.
func convertible(name string, content []byte) bool {
	for _, m := range convertibleMagic {
		if bytes.HasPrefix(content, m) {
			return true
		}
	}
	ext := strings.ToLower(path.Ext(name))
	for _, t := range textExtensions {
		if ext == t {
			// Text: valid UTF-8 without NUL bytes.
			return len(content) > 0 && utf8.Valid(content) && !bytes.ContainsRune(content, 0)
		}
	}
	return false
}

func allConvertible(files []*file) bool {
	for _, f := range files {
		if !convertible(f.Name, f.Content) {
			return false
		}
	}
	return true
}

// signFilesReady is sign_files.is_ready_for_download: true once Box has
// processed the PDFs, false while it converts them or builds the signed
// copy (finalizing), and when conversion failed (FIDELITY.md, "Lifecycle
// and conversion").
func signFilesReady(status string) bool {
	switch status {
	case statusConverting, statusFinalizing, statusErrorConverting:
		return false
	}
	return true
}
