package settings

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// The settings file (ARCHITECTURE.md §6): read, mended field by field,
// written atomically.

// LoadReport says what Load found, so the app can tell the user once.
type LoadReport struct {
	Path string
	// Missing: there was no file; defaults are used (first start).
	Missing bool
	// BrokenKeptAs is where an unreadable file was moved (defaults used).
	BrokenKeptAs string
	// Unreadable: the file is not settings and was left where it is
	// (Read); defaults are given.
	Unreadable bool
	// Invalid lists fields that were ignored (their defaults are used);
	// the file itself is left untouched until the user saves.
	Invalid []FieldError
	// Written is the file's settings as written, before the Invalid ones
	// were replaced by their defaults: the settings window shows those
	// values, marked, for the user to mend rather than lose them. A value
	// of the wrong JSON type could not be read and stays at its default.
	Written Settings
	// Digest is Digest of the content read (zero when missing): a
	// later change of the file is told from a save this load already saw.
	Digest [sha256.Size]byte
	// AutostartUnset: the file does not say whether to start at login (no
	// file, no "autostart" key). The login entry is then left as it is, as
	// the Windows installer made it, and shown as it is (autostart.Adopt).
	AutostartUnset bool
}

// Digest identifies a settings file's content.
func Digest(data []byte) [sha256.Size]byte { return sha256.Sum256(data) }

// Readable reports whether data would load as a settings file
// rather than be kept aside as broken. A file changed by hand while the
// agent runs is checked first: one still being edited must not be moved
// away from under the editor.
func Readable(data []byte) bool { return settingsObject(data) != nil }

// settingsObject is the file's top-level JSON object, nil when there is none.
func settingsObject(data []byte) map[string]json.RawMessage {
	var raw map[string]json.RawMessage
	if json.Unmarshal(withoutBOM(data), &raw) != nil {
		return nil
	}
	return raw
}

// Language is the language the settings file at path asks for, or
// the default when it cannot be read. Unlike Load it never moves a
// broken file aside: it is for a process that only needs to speak (a
// window while the agent is away, the agent's supervisor), whereas the
// agent takes care of the file and tells the user.
func Language(path string) string {
	def := Default().Language
	data, err := os.ReadFile(path)
	if err != nil {
		return def
	}
	var lang string
	if raw := settingsObject(data)["language"]; raw == nil || json.Unmarshal(raw, &lang) != nil {
		return def
	}
	if lang = strings.ToLower(strings.TrimSpace(lang)); lang != "id" && lang != "en" {
		return def
	}
	return lang
}

// HasNotice reports whether the user should be told something.
func (r LoadReport) HasNotice() bool { return r.BrokenKeptAs != "" || len(r.Invalid) > 0 }

// Load reads the settings file at path. It never fails for bad
// content: an unreadable file is moved aside to "<path>.broken-<time>" and
// defaults are used; an invalid field falls back to its default. err is only
// for I/O trouble other than "no such file" (defaults are returned with it).
func Load(path string, now time.Time) (Settings, LoadReport, error) {
	s, rep, err := Read(path)
	if !rep.Unreadable {
		return s, rep, err
	}
	kept, err := KeepBroken(path, now)
	if err != nil {
		return s, rep, err
	}
	rep.Unreadable, rep.BrokenKeptAs = false, kept
	return s, rep, nil
}

// KeepBroken moves an unreadable settings file aside, to
// "<path>.broken-<time>" (never over an earlier one), and says where.
func KeepBroken(path string, now time.Time) (string, error) {
	kept := freeName(fmt.Sprintf("%s.broken-%s", path, now.Format("20060102-150405")))
	if err := os.Rename(path, kept); err != nil {
		return "", fmt.Errorf("settings %s unreadable; keep it aside: %w", path, err)
	}
	return kept, nil
}

// Read is Load without moving anything: an unreadable file
// is left where it is (rep.Unreadable) and defaults are given. It is for the
// settings window, which must not change files by being opened; the file
// may well be open in Notepad for mending.
func Read(path string) (Settings, LoadReport, error) {
	rep := LoadReport{Path: path, AutostartUnset: true}
	def := Default()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		rep.Missing = true
		return def, rep, nil
	}
	if err != nil {
		return def, rep, fmt.Errorf("read settings %s: %w", path, err)
	}
	s, parsed := Parse(data)
	parsed.Path = path
	return s, parsed, nil
}

// Parse reads a settings file's content: an unreadable one gives
// the defaults (rep.Unreadable), an invalid value its field's default
// (rep.Invalid).
func Parse(data []byte) (Settings, LoadReport) {
	rep := LoadReport{Digest: Digest(data), AutostartUnset: true}
	raw := settingsObject(data)
	if raw == nil {
		rep.Unreadable = true
		return Default(), rep
	}
	s, written, invalid := decodeFields(raw, Default())
	rep.Invalid, rep.Written, rep.AutostartUnset = invalid, written, raw["autostart"] == nil
	return s, rep
}

// withoutBOM returns the file as UTF-8 without a byte-order mark. Windows
// Notepad, the editor the README's "change the check address" step meets
// first, writes one (UTF-8 before Windows 10 1903, UTF-16 when saved as
// "Unicode"); encoding/json rejects it, and the user's file would be moved
// aside as broken. Text without a mark is passed through byte for byte.
func withoutBOM(data []byte) []byte {
	out, _, err := transform.Bytes(xunicode.BOMOverride(transform.Nop), data)
	if err != nil {
		return data // let the JSON decoder report it
	}
	return out
}

// freeName returns name, or name with "-2", "-3"… appended when that file
// already exists: two broken files met in the same second must not overwrite
// each other's kept copy.
func freeName(name string) string {
	candidate := name
	for i := 2; i < 1000; i++ {
		if _, err := os.Lstat(candidate); errors.Is(err, os.ErrNotExist) {
			return candidate
		}
		candidate = fmt.Sprintf("%s-%d", name, i)
	}
	return candidate
}

// Field is one key of the settings file. Decoding, resetting a bad value
// and the settings window all read this one table (ARCHITECTURE.md §6).
type Field struct {
	Name string // as in the file; a nested key is "group.key"
	ptr  func(*Settings) any
}

// Of points at the field's value in s: *string, *int, *bool or *Duration.
func (f Field) Of(s *Settings) any { return f.ptr(s) }

// Fields lists every key of the settings file, in the file's order.
var Fields = []Field{
	{"version", func(s *Settings) any { return &s.Version }},
	{"services.efaktur", func(s *Settings) any { return &s.Services.Efaktur }},
	{"services.coretax", func(s *Settings) any { return &s.Services.Coretax }},
	{"url", func(s *Settings) any { return &s.URL }},
	{"coretax_url", func(s *Settings) any { return &s.CoretaxURL }},
	{"interval", func(s *Settings) any { return &s.Interval }},
	{"recheck", func(s *Settings) any { return &s.Recheck }},
	{"down_interval", func(s *Settings) any { return &s.DownInterval }},
	{"fail_threshold", func(s *Settings) any { return &s.FailThreshold }},
	{"recover_threshold", func(s *Settings) any { return &s.RecoverThreshold }},
	{"timeout", func(s *Settings) any { return &s.Timeout }},
	{"slow", func(s *Settings) any { return &s.Slow }},
	{"coretax_slow", func(s *Settings) any { return &s.CoretaxSlow }},
	{"proxy", func(s *Settings) any { return &s.Proxy }},
	{"reference", func(s *Settings) any { return &s.Reference }},
	{"secondary.enofa", func(s *Settings) any { return &s.Secondary.Enofa }},
	{"secondary.djponline", func(s *Settings) any { return &s.Secondary.DJPOnline }},
	{"notify.down", func(s *Settings) any { return &s.Notify.Down }},
	{"notify.recovered", func(s *Settings) any { return &s.Notify.Recovered }},
	{"notify.degraded", func(s *Settings) any { return &s.Notify.Degraded }},
	{"notify.offline", func(s *Settings) any { return &s.Notify.Offline }},
	{"notify.sound", func(s *Settings) any { return &s.Notify.Sound }},
	{"language", func(s *Settings) any { return &s.Language }},
	{"autostart", func(s *Settings) any { return &s.Autostart }},
}

// FieldNamed finds a key of the settings file.
func FieldNamed(name string) (Field, bool) {
	i := slices.IndexFunc(Fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return Fields[i], true
}

// decodeFields reads each known field on its own so one bad value costs only
// that field; then invalid values are replaced by defaults one by one.
func decodeFields(raw map[string]json.RawMessage, def Settings) (s, written Settings, invalid []FieldError) {
	s = def
	decode := func(name string, v json.RawMessage, code FieldCode) bool {
		f, ok := FieldNamed(name)
		if ok && json.Unmarshal(v, f.Of(&s)) != nil {
			invalid = append(invalid, FieldError{Field: name, Code: code, Value: clip(string(v))})
		}
		return ok
	}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v := raw[k]
		if decode(k, v, CodeType) {
			continue
		}
		if slices.ContainsFunc(Fields, func(f Field) bool { return strings.HasPrefix(f.Name, k+".") }) {
			var group map[string]json.RawMessage
			if err := json.Unmarshal(v, &group); err != nil {
				invalid = append(invalid, FieldError{Field: k, Code: CodeType, Value: clip(string(v))})
			}
			for name, v := range group {
				decode(k+"."+name, v, CodeBool)
			}
			continue
		}
		if s.extra == nil {
			s.extra = map[string]json.RawMessage{}
		}
		s.extra[k] = v
	}
	s.Version = Version
	s.Language = strings.ToLower(strings.TrimSpace(s.Language))
	if _, set := raw["coretax_slow"]; !set && s.Timeout > 0 && s.CoretaxSlow >= s.Timeout {
		// A file from before Coretax had its own threshold, with a short
		// timeout: the default follows it rather than being refused (in
		// tenths, as the settings window shows it).
		s.CoretaxSlow = s.Timeout / 2
		if tenths := s.CoretaxSlow.D().Truncate(100 * time.Millisecond); tenths > 0 {
			s.CoretaxSlow = Duration(tenths)
		}
	}
	written = s
	// Replace each invalid value by its default, re-validating until clean
	// (the slow-vs-timeout rule links two fields; a URL change can make
	// loopback-only intervals invalid).
	for range 3 {
		var verr ValidationError
		if !errors.As(s.Validate(), &verr) {
			break
		}
		for _, fe := range verr {
			s.CopyField(def, fe.Field)
			if fe.Code == CodeSlowVsTimeout {
				if f, ok := FieldNamed(fe.Field); ok && *f.Of(&s).(*Duration) >= s.Timeout {
					*f.Of(&s).(*Duration) = s.Timeout / 2
				}
			}
			invalid = append(invalid, fe)
		}
	}
	return s, written, invalid
}

// CopyField sets the field named as in the settings file (FieldError.Field)
// to its value in from, and reports whether it knows that field.
// A group ("services") copies each of its keys.
func (s *Settings) CopyField(from Settings, name string) bool {
	known := false
	for _, f := range Fields {
		if f.Name == name || strings.HasPrefix(f.Name, name+".") {
			reflect.ValueOf(f.Of(s)).Elem().Set(reflect.ValueOf(f.Of(&from)).Elem())
			known = true
		}
	}
	return known
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// Save validates s and writes it atomically: a temporary file in the
// same directory, flushed to disk, then renamed over the old one. A crash
// leaves either the old or the new file, never half of one.
func Save(path string, s Settings) error {
	data, err := s.Encode()
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, data, 0o600)
}

// ErrChanged: the settings file is no longer what the caller read;
// something else (a text editor, another settings window) changed it.
var ErrChanged = errors.New("settings file changed since it was read")

// Replace saves s like Save, but only over the content the
// caller read (seen: its LoadReport.Digest, zero when there was no file),
// so that an edit made elsewhere while a settings window stood open is not
// overwritten unasked. It returns the digest of the file as it now is: of
// what was written, or with ErrChanged of the other content, which
// a caller that has asked the user passes back as seen to replace it.
func Replace(path string, s Settings, seen [sha256.Size]byte) ([sha256.Size]byte, error) {
	data, err := s.Encode()
	if err != nil {
		return seen, err
	}
	current, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// Removed since (or never there): nothing of anyone's is replaced.
	case err != nil:
		return seen, fmt.Errorf("read settings %s before saving: %w", path, err)
	case Digest(current) != seen:
		return Digest(current), ErrChanged
	}
	if err := WriteFileAtomic(path, data, 0o600); err != nil {
		return seen, err
	}
	return Digest(data), nil
}

// Encode is the file content for s, refused when s is invalid.
func (s Settings) Encode() ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.Version = Version
	data, err := s.marshal()
	if err != nil {
		return nil, fmt.Errorf("encode settings: %w", err)
	}
	return data, nil
}

func (s Settings) marshal() ([]byte, error) {
	type plain Settings // no methods: avoid recursion
	known, err := json.Marshal(plain(s))
	if err != nil {
		return nil, err
	}
	if len(s.extra) > 0 {
		// Append unknown keys after the known ones, keeping the file's order readable.
		keys := make([]string, 0, len(s.extra))
		for k := range s.extra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf := bytes.NewBuffer(known[:len(known)-1])
		for _, k := range keys {
			name, _ := json.Marshal(k)
			buf.WriteByte(',')
			buf.Write(name)
			buf.WriteByte(':')
			buf.Write(s.extra[k])
		}
		buf.WriteByte('}')
		known = buf.Bytes()
	}
	var out bytes.Buffer
	if err := json.Indent(&out, known, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// WriteFileAtomic writes data to path via a temporary file and a rename.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", tmpName, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("chmod %s: %w", tmpName, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("flush %s: %w", tmpName, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmpName, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}
