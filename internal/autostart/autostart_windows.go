//go:build windows

package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// Set writes or deletes the HKCU Run value (no administrator rights needed).
func Set(enabled bool, exe string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, RunKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("open HKCU\\%s: %w", RunKey, err)
	}
	defer k.Close()
	if !enabled {
		if err := k.DeleteValue(Name); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("delete Run value: %w", err)
		}
		return nil
	}
	want := RunCommand(exe)
	if have, _, err := k.GetStringValue(Name); err == nil && have == want {
		return nil
	}
	if err := k.SetStringValue(Name, want); err != nil {
		return fmt.Errorf("set Run value: %w", err)
	}
	return nil
}

// Enabled reports whether the Run value exists.
func Enabled() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, RunKey, registry.QUERY_VALUE)
	if err != nil {
		return false, nil
	}
	defer k.Close()
	_, _, err = k.GetStringValue(Name)
	return err == nil, nil
}
