package extract

import (
	"fmt"
	"regexp"
)

// MaxSiteLen is the longest site name: a site name is a directory of the
// archive and the start of every article id.
const MaxSiteLen = 64

// siteRE is the one rule for site names (see CheckSite).
var siteRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// CheckSite reports what is wrong with name as a site's name, or nil: a
// name is 1 to 64 lower-case ASCII letters, digits, - and _, starting with
// a letter or a digit. It is the one rule that site configs are checked
// against when they load, that the archive holds to (a name is a directory
// and the start of article ids, so it must be safe as a path) and that
// the web UI checks its site filter with.
func CheckSite(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty site name (want lower-case letters, digits, - and _)")
	case len(name) > MaxSiteLen:
		return fmt.Errorf("site name %.20q… is %d characters long (at most %d)", name, len(name), MaxSiteLen)
	case !siteRE.MatchString(name):
		return fmt.Errorf("%.80q is not a site name (want lower-case letters, digits, - and _, starting with a letter or digit)", name)
	}
	return nil
}
