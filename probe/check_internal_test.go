package probe

import "testing"

func TestSecondReferenceOnlyWithTheDefault(t *testing.T) {
	for _, tc := range []struct {
		ref, ref2 string
		want      string
	}{
		{DefaultReference, "", SecondReference},
		{DefaultReference, "off", ""},
		{DefaultReference, "http://kantor.local/ok", "http://kantor.local/ok"},
		{"http://kantor.local/generate_204", "", ""}, // the user's own choice stands alone
		{"off", "", ""},
		{"off", "http://kantor.local/ok", ""}, // no reference check at all
	} {
		if got := (Options{Reference: tc.ref, Reference2: tc.ref2}).withDefaults().Reference2; got != tc.want {
			t.Errorf("reference %q, second %q: got %q, want %q", tc.ref, tc.ref2, got, tc.want)
		}
	}
}
