// Command pecheck verifies a Windows build: a PE32+ (x86-64) executable for
// the GUI subsystem (no console window flashes up at login), carrying an
// icon and version information. CI runs it on the packaged .exe.
package main

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// Resource types (winuser.h).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
)

// Report is what pecheck found.
type Report struct {
	Machine   uint16
	PE32Plus  bool
	Subsystem uint16
	Resources map[uint32]bool // resource type IDs present
}

// Inspect reads the PE file at path.
func Inspect(path string) (Report, error) {
	f, err := pe.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	r := Report{Machine: f.Machine, Resources: map[uint32]bool{}}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if ok {
		r.PE32Plus = true
		r.Subsystem = oh.Subsystem
	} else if oh32, ok := f.OptionalHeader.(*pe.OptionalHeader32); ok {
		r.Subsystem = oh32.Subsystem
	}
	if s := f.Section(".rsrc"); s != nil {
		data, err := s.Data()
		if err != nil {
			return r, fmt.Errorf("read .rsrc: %w", err)
		}
		types, err := resourceTypes(data)
		if err != nil {
			return r, err
		}
		for _, t := range types {
			r.Resources[t] = true
		}
	}
	return r, nil
}

// resourceTypes lists the type IDs of the root resource directory.
func resourceTypes(data []byte) ([]uint32, error) {
	if len(data) < 16 {
		return nil, errors.New(".rsrc too short")
	}
	named := int(binary.LittleEndian.Uint16(data[12:]))
	ids := int(binary.LittleEndian.Uint16(data[14:]))
	var out []uint32
	for i := 0; i < named+ids; i++ {
		off := 16 + 8*i
		if off+8 > len(data) {
			return nil, errors.New(".rsrc directory truncated")
		}
		name := binary.LittleEndian.Uint32(data[off:])
		if name&0x80000000 == 0 {
			out = append(out, name)
		}
	}
	return out, nil
}

// Problems lists what is wrong with a report for a Windows release build.
func Problems(r Report) []string {
	var p []string
	if r.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || !r.PE32Plus {
		p = append(p, "not a PE32+ x86-64 executable")
	}
	if r.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		p = append(p, fmt.Sprintf("subsystem %d, want the Windows GUI subsystem (2): a console window would open", r.Subsystem))
	}
	if !r.Resources[rtIcon] || !r.Resources[rtGroupIcon] {
		p = append(p, "no icon resource")
	}
	if !r.Resources[rtVersion] {
		p = append(p, "no version resource")
	}
	return p
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pecheck FILE.exe")
		os.Exit(64)
	}
	r, err := Inspect(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if p := Problems(r); len(p) > 0 {
		for _, s := range p {
			fmt.Fprintln(os.Stderr, os.Args[1]+": "+s)
		}
		os.Exit(1)
	}
	fmt.Printf("%s: PE32+ x86-64, GUI subsystem, icon and version resources\n", os.Args[1])
}
