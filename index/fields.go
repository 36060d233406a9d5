package index

import "strings"

// Field is one field a query may name, as in title:banjir.
type Field struct {
	// Name is the field's name in queries.
	Name string
	// Aliases are other names that mean the same field (Indonesian ones
	// among them).
	Aliases []string
	// Doc says in a few words what the field matches, for help texts.
	Doc string
}

// Fields lists the fields of the query language, in the order help texts
// show them. It is the one list that the CLI, the web help, the README and
// the parser's error messages print.
var Fields = []Field{
	{"title", []string{"judul"}, "words of the title"},
	{"body", []string{"text", "isi"}, "words of the article text"},
	{"caption", []string{"captions", "keterangan"}, "words of the gallery captions"},
	{"place", []string{"dateline"}, "the dateline's place (SAWAHLUNTO)"},
	{"agency", nil, "the dateline's news agency"},
	{"author", []string{"penulis"}, "the author"},
	{"site", nil, "the site's short name, exactly"},
	{"url", nil, "words of the address (url:banjir, url:banj*); a whole address exactly"},
	{"category", []string{"categories", "kategori"}, "a whole category, any case"},
	{"tag", []string{"tags"}, "a whole tag, any case"},
	{"language", []string{"lang"}, "the language code (id)"},
	{"id", []string{"_id"}, "an article id"},
	{"published", []string{"date", "tanggal"}, "a day, month, year or [range]"},
}

// FieldNames returns the names of Fields, separated by commas.
func FieldNames() string {
	names := make([]string, len(Fields))
	for i, f := range Fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// canonicalField maps a field name a user may type to the one the
// translator knows.
func canonicalField(name string) (string, bool) {
	name = strings.ToLower(name)
	for _, f := range Fields {
		if f.Name == name {
			return f.Name, true
		}
		for _, a := range f.Aliases {
			if a == name {
				return f.Name, true
			}
		}
	}
	return "", false
}
