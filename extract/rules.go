package extract

// Rules is a site profile: CSS selectors that say where each field of an
// article lives on one site's pages. Empty fields fall back to the generic
// extractor's heuristics for that field. It mirrors the `extract:` key of a
// site config.
type Rules struct {
	Title      string   `yaml:"title" json:"title,omitempty"`
	Body       string   `yaml:"body" json:"body,omitempty"`
	Published  string   `yaml:"published" json:"published,omitempty"`
	Modified   string   `yaml:"modified" json:"modified,omitempty"`
	Author     string   `yaml:"author" json:"author,omitempty"`
	Gallery    string   `yaml:"gallery" json:"gallery,omitempty"`
	Categories string   `yaml:"categories" json:"categories,omitempty"`
	Tags       string   `yaml:"tags" json:"tags,omitempty"`
	Remove     []string `yaml:"remove" json:"remove,omitempty"`
}
