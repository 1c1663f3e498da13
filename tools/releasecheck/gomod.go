package main

import (
	"fmt"
	"path/filepath"

	"golang.org/x/mod/modfile"
)

// checkGoMod reports what would stop `go install
// github.com/box/terraform-provider-box/internal/cmd/box-emulator@VERSION`,
// the other way the docs give users to get the emulator: the go command
// refuses to install a module@version whose go.mod has replace or exclude
// directives. (The command lying under internal/ is no obstacle: the
// internal rule limits imports, not which packages can be built.)
func checkGoMod(path string) ([]string, error) {
	b, err := readIn(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(path, b, nil)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, r := range f.Replace {
		problems = append(problems, fmt.Sprintf("%s:%d: replace %s: `go install …/box-emulator@VERSION` refuses a module with replace directives", path, r.Syntax.Start.Line, r.Old.Path))
	}
	for _, e := range f.Exclude {
		problems = append(problems, fmt.Sprintf("%s:%d: exclude %s: `go install …/box-emulator@VERSION` refuses a module with exclude directives", path, e.Syntax.Start.Line, e.Mod.Path))
	}
	return problems, nil
}
