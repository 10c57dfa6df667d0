package probe

import (
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// maxTitleRunes bounds the page title shown to the user: enough for "Access
// Denied - FortiGuard Web Filtering" or "Login Hotspot Kantor", short
// enough for a tooltip and a notification.
const maxTitleRunes = 80

// maxTitleText bounds what is gathered between <title> and </title> before
// it is cleaned: a hostile page may put its whole body there.
const maxTitleText = 4 << 10

// PageTitle returns the cleaned <title> of an HTML page, or "" when body
// has none. When the answer is not the service's, the title is often the
// clue that tells the user what stood in the way ("Wi-Fi Login", "Access
// Denied", "Websense"). The page's charset is honoured (Content-Type, BOM,
// <meta>); white space is collapsed; control and format characters
// (including bidi overrides a hostile page could use to dress its text up)
// and undecodable bytes are dropped; the result is at most maxTitleRunes
// runes. A <title> inside <svg> (a tooltip, not the page's title) is
// skipped.
func PageTitle(body []byte, contentType string) string {
	var r io.Reader = bytes.NewReader(body)
	if cr, err := charset.NewReader(r, contentType); err == nil {
		r = cr
	}
	z := html.NewTokenizer(r)
	svgDepth := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Svg:
				svgDepth++
			case atom.Title:
				if svgDepth == 0 {
					return cleanTitle(titleText(z))
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Svg && svgDepth > 0 {
				svgDepth--
			}
		}
	}
}

// titleText gathers the text up to </title> (the tokenizer reads a title's
// content as text, entities decoded), at most maxTitleText bytes.
func titleText(z *html.Tokenizer) string {
	var b strings.Builder
	for b.Len() < maxTitleText && z.Next() == html.TextToken {
		b.Write(z.Text())
	}
	s := b.String()
	if len(s) > maxTitleText {
		s = s[:maxTitleText]
	}
	return s
}

func cleanTitle(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxTitleRunes {
		s = strings.TrimSpace(string([]rune(s)[:maxTitleRunes-1])) + "…"
	}
	return s
}
