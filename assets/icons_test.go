package assets

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	ico "github.com/sergeymakinen/go-ico"
)

// The colour each level must show (ARCHITECTURE.md §5: green, yellow, red, grey).
var wantColour = map[string][3]uint8{
	"up":       {0x1E, 0x9E, 0x4A},
	"degraded": {0xF4, 0xB4, 0x00},
	"down":     {0xD9, 0x30, 0x25},
	"offline":  {0x80, 0x86, 0x8B},
	"unknown":  {0x80, 0x86, 0x8B},
}

// dominant is the most frequent opaque colour of img.
func dominant(img image.Image) [3]uint8 {
	count := map[[3]uint8]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a == 0xffff {
				count[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}]++
			}
		}
	}
	var best [3]uint8
	n := 0
	for c, k := range count {
		if k > n {
			best, n = c, k
		}
	}
	return best
}

// glyphPixels counts pixels that differ clearly from the level colour
// inside the badge: the glyph must be there, so the icon reads without colour.
func glyphPixels(img image.Image, fill [3]uint8) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y + b.Dy()/4; y < b.Max.Y-b.Dy()/4; y++ {
		for x := b.Min.X + b.Dx()/4; x < b.Max.X-b.Dx()/4; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			d := absDiff(uint8(r>>8), fill[0]) + absDiff(uint8(g>>8), fill[1]) + absDiff(uint8(bl>>8), fill[2])
			if d > 150 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestLevelPNGs(t *testing.T) {
	for _, level := range IconLevels {
		for _, size := range TraySizes {
			data, err := LevelPNG(level, size)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s %d: %v", level, size, err)
			}
			if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
				t.Errorf("%s %d: size %v", level, size, b)
			}
			if got := dominant(img); got != wantColour[level] {
				t.Errorf("%s %d: dominant colour %x, want %x", level, size, got, wantColour[level])
			}
			if g := glyphPixels(img, wantColour[level]); g < size*size/40 {
				t.Errorf("%s %d: glyph too faint (%d pixels)", level, size, g)
			}
			// Transparent corners: round icons on any panel.
			if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
				t.Errorf("%s %d: corner not transparent", level, size)
			}
		}
	}
}

func TestLevelICOs(t *testing.T) {
	for _, level := range IconLevels {
		data, err := LevelICO(level)
		if err != nil {
			t.Fatal(err)
		}
		imgs, err := ico.DecodeAll(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s.ico: %v", level, err)
		}
		var sizes []int
		for _, img := range imgs {
			sizes = append(sizes, img.Bounds().Dx())
			if got := dominant(img); got != wantColour[level] {
				t.Errorf("%s.ico %dpx: dominant %x", level, img.Bounds().Dx(), got)
			}
		}
		for _, want := range []int{16, 20, 24, 32} {
			found := false
			for _, s := range sizes {
				found = found || s == want
			}
			if !found {
				t.Errorf("%s.ico lacks %dpx (has %v)", level, want, sizes)
			}
		}
	}
}

func TestLevelsLookDifferent(t *testing.T) {
	seen := map[string]string{}
	for _, level := range IconLevels {
		data, _ := LevelPNG(level, 16)
		if other, dup := seen[string(data)]; dup {
			t.Errorf("%s and %s have the same 16 px icon", level, other)
		}
		seen[string(data)] = level
	}
}

func TestAppIcons(t *testing.T) {
	for _, size := range AppSizes {
		data, err := AppPNG(size)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("app %d: %+v %v", size, cfg, err)
		}
	}
	data, err := AppICO()
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := ico.DecodeAll(bytes.NewReader(data))
	if err != nil || len(imgs) < 5 {
		t.Fatalf("app.ico: %d images, %v", len(imgs), err)
	}
}

// The committed icons are exactly what the generator draws today: nobody
// edited a PNG by hand, and nobody forgot to run go generate.
func TestIconsAreGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go tool here (the Windows tests under Wine)")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./genicons", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	entries, err := os.ReadDir(filepath.Join(out, "icons"))
	if err != nil || len(entries) == 0 {
		t.Fatal(err)
	}
	for _, e := range entries {
		fresh, _ := os.ReadFile(filepath.Join(out, "icons", e.Name()))
		committed, err := icons.ReadFile("icons/" + e.Name())
		if err != nil || !bytes.Equal(fresh, committed) {
			t.Errorf("icons/%s differs from the generator's output: run go generate ./assets", e.Name())
		}
	}
	fresh, _ := os.ReadFile(filepath.Join(out, "Icon.png"))
	if committed, _ := os.ReadFile("Icon.png"); !bytes.Equal(fresh, committed) {
		t.Error("Icon.png differs: run go generate ./assets")
	}
}
