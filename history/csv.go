package history

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportFileName names an export of the history made on now's day, the
// same from the command line and from the status window's "Ekspor CSV".
func ExportFileName(now time.Time, ext string) string {
	return "pantau-efaktur-" + now.Format("2006-01-02") + ext
}

// CSVHeader is the header row of the CSV export.
var CSVHeader = []string{"checked_at", "target", "level", "reason", "http_status", "total_ms",
	"dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "bytes", "clock_skew_s", "error", "local_time"}

// WriteCSV writes records as CSV (RFC 4180) with the header row. Times are
// in the PC's time zone, whatever zone a line was written in (a laptop
// that travelled, history copied from another PC), so rows sort and read
// as the user's clock.
// The last column, local_time, is checked_at's wall clock without the "T"
// and the offset (time.DateTime), the one form a spreadsheet (Excel in any
// language, LibreOffice) reads as a date-time rather than text; it is last
// so scripts reading the earlier columns by position keep working.
// sep is the field separator (',' or ';' for spreadsheets set to Indonesian).
func WriteCSV(w io.Writer, recs []Record, sep rune) error {
	cw := csv.NewWriter(w)
	if sep != 0 {
		cw.Comma = sep
	}
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	for _, r := range recs {
		skew := ""
		if r.Skew != nil {
			skew = strconv.FormatInt(*r.Skew, 10)
		}
		at := r.At.Local()
		row := []string{at.Format(time.RFC3339), csvSafe(r.Target), string(r.Level), csvSafe(string(r.Reason)),
			strconv.Itoa(r.Status), strconv.FormatInt(r.MS[4], 10), strconv.FormatInt(r.MS[0], 10),
			strconv.FormatInt(r.MS[1], 10), strconv.FormatInt(r.MS[2], 10), strconv.FormatInt(r.MS[3], 10),
			strconv.FormatInt(r.Bytes, 10), skew, csvSafe(r.Error), at.Format(time.DateTime)}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// csvSafe defuses text that a spreadsheet would run as a formula (an error
// text comes from the network, so it is untrusted; so is any text of a
// history file copied from elsewhere or mended by hand).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
