package fileerr

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestClassify(t *testing.T) {
	wrap := func(err error) error {
		return fmt.Errorf("save settings: %w", &fs.PathError{Op: "open", Path: "x", Err: err})
	}
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"nil", nil, ""},
		{"permission", wrap(fs.ErrPermission), Permission},
		{"disk full", wrap(diskFullErr), DiskFull},
		{"read-only", wrap(readOnlyErr), ReadOnly},
		{"missing folder", wrap(fs.ErrNotExist), NotFound},
		{"anything else", errors.New("short write"), Other},
	}
	for _, tc := range tests {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The kinds are found in what the operating system really returns.
func TestClassifyRealErrors(t *testing.T) {
	_, err := os.Create(filepath.Join(t.TempDir(), "gone", "x.csv"))
	if got := Classify(err); got != NotFound {
		t.Errorf("file in a missing folder: %q (%v), want %q", got, err, NotFound)
	}
	if f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil { // Linux: always full
		_, err = f.Write([]byte("tanggal;level\n"))
		f.Close()
		if got := Classify(err); got != DiskFull {
			t.Errorf("write to /dev/full: %q (%v), want %q", got, err, DiskFull)
		}
	}
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		return // root writes anywhere
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	_, err = os.Create(filepath.Join(dir, "x.csv"))
	if got := Classify(err); got != Permission {
		t.Errorf("read-only folder: %q (%v), want %q", got, err, Permission)
	}
}
