package main

import "testing"

func TestCrashName(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "agent"},
		{[]string{"--lang", "en"}, "agent"},
		{[]string{"--demo"}, "demo-agent"},
		{[]string{"--lang=en", "-demo"}, "demo-agent"},
		{[]string{"--demo=true"}, "demo-agent"},
	} {
		if got := crashName(tc.args); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.args, got, tc.want)
		}
	}
}
