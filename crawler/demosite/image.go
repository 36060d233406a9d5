package demosite

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// palette is the number of distinct pictures the site draws; an image's
// name picks one, so the cache stays small whatever the number of posts.
const palette = 16

// imageCache holds encoded pictures by format and palette index.
type imageCache struct {
	mu   sync.Mutex
	jpeg [palette][]byte
	png  [palette][]byte
}

// get returns the encoded picture k in the format, drawing it once.
func (c *imageCache) get(k int, isPNG bool) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	slot := &c.jpeg[k]
	if isPNG {
		slot = &c.png[k]
	}
	if *slot != nil {
		return *slot
	}
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	base := color.RGBA{R: uint8(40 + 13*k), G: uint8(200 - 9*k), B: uint8(90 + 7*k), A: 255}
	for y := range 16 {
		for x := range 24 {
			c := base
			if (x/4+y/4)%2 == 0 {
				c.R, c.G = c.G, c.R
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if isPNG {
		// Encoding an in-memory image to a buffer cannot fail.
		_ = png.Encode(&buf, img)
	} else {
		_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75})
	}
	*slot = buf.Bytes()
	return *slot
}

// image serves everything under /wp-content/ and /wp-includes/: uploaded
// pictures, plugin images, the theme's assets and WordPress's scripts.
func (s *Site) image(base, path string) *response {
	name := path[strings.LastIndexByte(path, '/')+1:]
	ext := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:])
	mod := spanStart
	if rest, ok := strings.CutPrefix(path, "/wp-content/uploads/"); ok {
		parts := strings.Split(rest, "/")
		if len(parts) != 3 || parts[2] == "" {
			return s.notFound(base, KindImage)
		}
		y, err1 := strconv.Atoi(parts[0])
		m, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil || y < 2000 || y > 2100 || m < 1 || m > 12 {
			return s.notFound(base, KindImage)
		}
		mod = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	}
	switch ext {
	case "jpg", "jpeg", "png":
		h := fnv.New32a()
		h.Write([]byte(name))
		isPNG := ext == "png"
		body := s.images.get(int(h.Sum32()%palette), isPNG)
		ctype := "image/jpeg"
		if isPNG {
			ctype = "image/png"
		}
		return &response{kind: KindImage, status: http.StatusOK, ctype: ctype, body: string(body), modified: mod,
			header: http.Header{"Cache-Control": {"max-age=31536000"}}}
	case "css":
		body := themeStyle
		if name == "navigation.css" {
			body = themeNavigation
		}
		return &response{kind: KindOther, status: http.StatusOK, ctype: "text/css", body: body, modified: mod}
	case "js":
		return &response{kind: KindOther, status: http.StatusOK, ctype: "text/javascript", body: themeScript, modified: mod}
	}
	return s.notFound(base, KindImage)
}
