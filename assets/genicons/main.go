// Command genicons draws every icon of the app from one description (shapes in a
// unit square), at each pixel size, so they are crisp everywhere:
//
//	icons/<level>-<size>.png  tray and notification icons (16 … 64 px)
//	icons/<level>.ico         the same, multi-size, for the Windows tray
//	icons/app-<size>.png      the application icon (Fyne, .desktop, README)
//	icons/app.ico             the application icon for Windows
//
// Run with `go generate ./assets` (writes into assets/). Each level has its own colour and glyph
// (✓ ! ✕ ? …) so the icon reads without colour too.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"

	ico "github.com/sergeymakinen/go-ico"
	"golang.org/x/image/vector"
)

// TraySizes are the pixel sizes drawn for tray and notification icons.
var TraySizes = []int{16, 20, 24, 32, 48, 64}

// AppSizes are the application icon sizes.
var AppSizes = []int{16, 32, 48, 64, 128, 256, 512}

type pt struct{ x, y float64 }

type glyph func(c *canvas)

type level struct {
	name       string
	fill, rim  color.NRGBA
	glyphColor color.NRGBA
	glyph      glyph
}

var (
	white = color.NRGBA{255, 255, 255, 255}
	ink   = color.NRGBA{40, 40, 40, 255}
)

var levels = []level{
	{"up", rgb(0x1E9E4A), rgb(0x12733A), white, check},
	{"degraded", rgb(0xF4B400), rgb(0xB58500), ink, exclamation},
	{"down", rgb(0xD93025), rgb(0xA1221A), white, cross},
	{"offline", rgb(0x80868B), rgb(0x5F6368), white, question},
	{"unknown", rgb(0x80868B), rgb(0x5F6368), white, dots},
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}

// canvas draws shapes given in unit coordinates onto an n×n image. Each
// shape is rasterised into its own coverage mask (anti-aliased) and painted
// with "over", so overlapping parts of a stroke never show seams.
type canvas struct {
	n   int
	img *image.NRGBA
	col color.NRGBA
}

func newCanvas(n int) *canvas {
	return &canvas{n: n, img: image.NewNRGBA(image.Rect(0, 0, n, n))}
}

func (c *canvas) s(v float64) float32 { return float32(v * float64(c.n)) }

// mask unions polygons into one coverage mask (max of coverages).
func (c *canvas) mask(polys ...[]pt) *image.Alpha {
	out := image.NewAlpha(image.Rect(0, 0, c.n, c.n))
	for _, poly := range polys {
		r := vector.NewRasterizer(c.n, c.n)
		r.MoveTo(c.s(poly[0].x), c.s(poly[0].y))
		for _, p := range poly[1:] {
			r.LineTo(c.s(p.x), c.s(p.y))
		}
		r.ClosePath()
		m := image.NewAlpha(out.Rect)
		r.Draw(m, m.Rect, image.Opaque, image.Point{})
		for i, a := range m.Pix {
			if a > out.Pix[i] {
				out.Pix[i] = a
			}
		}
	}
	return out
}

func (c *canvas) paint(m *image.Alpha, col color.NRGBA) {
	draw.DrawMask(c.img, c.img.Rect, image.NewUniform(col), image.Point{}, m, image.Point{}, draw.Over)
}

func circlePoly(cx, cy, r float64) []pt {
	const k = 64
	poly := make([]pt, k)
	for i := range poly {
		a := 2 * math.Pi * float64(i) / k
		poly[i] = pt{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	return poly
}

func roundRectPoly(x0, y0, x1, y1, r float64) []pt {
	var poly []pt
	corners := []struct{ cx, cy, a0 float64 }{{x1 - r, y0 + r, -90}, {x1 - r, y1 - r, 0}, {x0 + r, y1 - r, 90}, {x0 + r, y0 + r, 180}}
	for _, k := range corners {
		for i := 0; i <= 8; i++ {
			a := (k.a0 + 90*float64(i)/8) * math.Pi / 180
			poly = append(poly, pt{k.cx + r*math.Cos(a), k.cy + r*math.Sin(a)})
		}
	}
	return poly
}

// strokeWidth keeps strokes at whole pixels at tiny sizes (crisp at 16 px).
func (c *canvas) strokeWidth(unit float64) float64 {
	px := unit * float64(c.n)
	if c.n <= 32 {
		px = math.Max(2, math.Round(px))
	}
	return px / float64(c.n)
}

// stroke draws a polyline with round caps and joins.
func (c *canvas) stroke(col color.NRGBA, width float64, pts ...pt) {
	w := c.strokeWidth(width) / 2
	var polys [][]pt
	for i, p := range pts {
		polys = append(polys, circlePoly(p.x, p.y, w))
		if i == 0 {
			continue
		}
		a := pts[i-1]
		dx, dy := p.x-a.x, p.y-a.y
		l := math.Hypot(dx, dy)
		nx, ny := -dy/l*w, dx/l*w
		polys = append(polys, []pt{{a.x + nx, a.y + ny}, {p.x + nx, p.y + ny}, {p.x - nx, p.y - ny}, {a.x - nx, a.y - ny}})
	}
	c.paint(c.mask(polys...), col)
}

func (c *canvas) dot(col color.NRGBA, x, y, r float64) {
	r = math.Max(r, 1.1/float64(c.n))
	c.paint(c.mask(circlePoly(x, y, r)), col)
}

// badge is the round coloured background with a darker rim, so the icon
// stands out on light and dark panels alike.
func (c *canvas) badge(l level) {
	rim := math.Max(1/float64(c.n), 0.055)
	c.paint(c.mask(circlePoly(0.5, 0.5, 0.48)), l.rim)
	c.paint(c.mask(circlePoly(0.5, 0.5, 0.48-rim)), l.fill)
}

func check(c *canvas) {
	c.stroke(c.col, 0.13, pt{0.27, 0.52}, pt{0.43, 0.68}, pt{0.73, 0.35})
}

func exclamation(c *canvas) {
	c.stroke(c.col, 0.14, pt{0.5, 0.24}, pt{0.5, 0.55})
	c.dot(c.col, 0.5, 0.74, 0.085)
}

func cross(c *canvas) {
	c.stroke(c.col, 0.13, pt{0.33, 0.33}, pt{0.67, 0.67})
	c.stroke(c.col, 0.13, pt{0.67, 0.33}, pt{0.33, 0.67})
}

func question(c *canvas) {
	var arc []pt
	for a := 190.0; a <= 400; a += 10 {
		r := a * math.Pi / 180
		arc = append(arc, pt{0.5 + 0.15*math.Cos(r), 0.39 + 0.14*math.Sin(r)})
	}
	arc = append(arc, pt{0.5, 0.58})
	c.stroke(c.col, 0.12, arc...)
	c.dot(c.col, 0.5, 0.76, 0.075)
}

func dots(c *canvas) {
	for _, x := range []float64{0.29, 0.5, 0.71} {
		c.dot(c.col, x, 0.5, 0.075)
	}
}

func drawLevel(l level, n int) *image.NRGBA {
	c := newCanvas(n)
	c.badge(l)
	c.col = l.glyphColor
	l.glyph(c)
	return c.img
}

// drawApp is the application icon: a white invoice on DJP-ish blue, with a
// green "online" check badge.
func drawApp(n int) *image.NRGBA {
	c := newCanvas(n)
	blue := rgb(0x1A56A8)
	c.paint(c.mask(roundRectPoly(0.04, 0.04, 0.96, 0.96, 0.2)), blue)
	c.paint(c.mask(roundRectPoly(0.24, 0.16, 0.70, 0.82, 0.05)), white)
	for i, w := range []float64{0.30, 0.30, 0.22} {
		y := 0.32 + float64(i)*0.12
		c.stroke(rgb(0x8FB3E6), 0.05, pt{0.33, y}, pt{0.33 + w, y})
	}
	green := levels[0]
	c.paint(c.mask(circlePoly(0.70, 0.70, 0.21)), white)
	c.paint(c.mask(circlePoly(0.70, 0.70, 0.17)), green.fill)
	c.col = white
	c.stroke(white, 0.06, pt{0.61, 0.70}, pt{0.67, 0.76}, pt{0.79, 0.63})
	return c.img
}

func writePNG(path string, img image.Image) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func writeICO(path string, imgs []image.Image) {
	var b bytes.Buffer
	if err := ico.EncodeAll(&b, imgs); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	out := flag.String("out", ".", "directory to write icons/ and Icon.png into")
	flag.Parse()
	dir := filepath.Join(*out, "icons")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, l := range levels {
		var imgs []image.Image
		for _, n := range TraySizes {
			img := drawLevel(l, n)
			imgs = append(imgs, img)
			writePNG(filepath.Join(dir, fmt.Sprintf("%s-%d.png", l.name, n)), img)
		}
		writeICO(filepath.Join(dir, l.name+".ico"), imgs)
	}
	var appIcons []image.Image
	for _, n := range AppSizes {
		img := drawApp(n)
		writePNG(filepath.Join(dir, fmt.Sprintf("app-%d.png", n)), img)
		if n <= 256 {
			appIcons = append(appIcons, img)
		}
	}
	writeICO(filepath.Join(dir, "app.ico"), appIcons)
	// A 512 px copy at the top level for fyne package (FyneApp.toml Icon).
	writePNG(filepath.Join(*out, "Icon.png"), drawApp(512))
}
