package demosite

import (
	"strings"
	"testing"
)

// mapSchemaGraph is schemaGraph as it was written first, with maps: the
// reference that TestSchemaGraph holds the struct version to.
func mapSchemaGraph(base string, p *post) string {
	url := base + p.path()
	article := map[string]any{
		"@type":            "Article",
		"@id":              url + "#article",
		"isPartOf":         map[string]string{"@id": url},
		"author":           map[string]string{"name": p.author},
		"headline":         p.title,
		"datePublished":    p.published.UTC().Format("2006-01-02T15:04:05+00:00"),
		"dateModified":     p.modified.UTC().Format("2006-01-02T15:04:05+00:00"),
		"mainEntityOfPage": map[string]string{"@id": url},
		"publisher":        map[string]string{"@id": base + "/#organization"},
		"inLanguage":       "id",
	}
	var sections []string
	for _, c := range p.cats {
		sections = append(sections, categories[c].name)
	}
	article["articleSection"] = sections
	if len(p.tags) > 0 {
		article["keywords"] = p.tags
	}
	if len(p.pictures) > 0 {
		article["thumbnailUrl"] = base + p.pictures[0].path
	}
	graph := []any{
		article,
		map[string]any{
			"@type": "WebPage", "@id": url, "url": url, "name": p.title + " – " + siteName,
			"datePublished": p.published.UTC().Format("2006-01-02T15:04:05+00:00"),
			"dateModified":  p.modified.UTC().Format("2006-01-02T15:04:05+00:00"),
			"inLanguage":    "id",
		},
		map[string]any{"@type": "Organization", "@id": base + "/#organization", "name": siteName, "url": base + "/"},
	}
	// Escape "<" so that no title can close the script element.
	return strings.ReplaceAll(jsonBody(map[string]any{"@context": "https://schema.org", "@graph": graph}), "<", `\u003c`)
}

// TestSchemaGraph holds schemaGraph to mapSchemaGraph for every post of
// a few sites, edited ones among them.
func TestSchemaGraph(t *testing.T) {
	for _, seed := range []int64{1, 2, 42} {
		s := New(Options{Seed: seed, Articles: 200})
		s.Edit(20)
		s.mu.RLock()
		for _, p := range s.posts {
			if got, want := schemaGraph("http://demo.test", p), mapSchemaGraph("http://demo.test", p); got != want {
				t.Errorf("seed %d, post %d: schemaGraph =\n%s\nwant\n%s", seed, p.id, got, want)
			}
		}
		s.mu.RUnlock()
	}
}
