package i18n

import (
	"fmt"
	"strings"
	"time"

	"pantau-efaktur/probe"
)

// ResultLine is the sentence form of a result: one line, plus one line per
// warning that matters (PC clock, failed reference check).
func (t *Translator) ResultLine(res probe.Result) string {
	var b strings.Builder
	b.WriteString(t.Level(res.Level))
	b.WriteString(" — ")
	if res.Message != "" {
		b.WriteString(res.Message)
	} else {
		b.WriteString(t.Message(res))
	}
	var facts []string
	facts = append(facts, t.T("check.latency", map[string]any{"MS": res.Phases.Total.Milliseconds()}))
	if res.HTTPStatus != 0 {
		facts = append(facts, fmt.Sprintf("HTTP %d", res.HTTPStatus))
	}
	if via := t.ViaProxy(res); via != "" {
		facts = append(facts, via)
	}
	b.WriteString(" (" + strings.Join(facts, ", ") + ")\n")
	if res.ClockSkewSuspicious() {
		b.WriteString("  ! " + t.T("check.clock_skew", map[string]any{"Diff": t.Duration(res.ClockSkew.Round(time.Minute))}) + "\n")
	}
	if res.Reason == probe.ReasonOffline && res.Cause != "" {
		// Say what failed first, so a support chat can tell DNS from a firewall.
		cause := res
		cause.Reason = res.Cause
		b.WriteString("  · " + t.Message(cause) + "\n")
	}
	return b.String()
}
