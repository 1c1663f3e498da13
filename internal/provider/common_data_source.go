package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/box/terraform-provider-box/internal/box"
)

// maxPageSize is Box's largest page for its list endpoints. The data
// sources use it so that a listing takes as few calls as possible.
const maxPageSize = 1000

// maxPages bounds a listing, so that a server that keeps answering with a
// next_marker cannot keep a plan running forever (100 million items at the
// largest page size).
const maxPages = 100000

// eachPage follows Box's marker pagination to the end: fetch returns one
// page's next marker, "" (or nil) on the last page.
func eachPage(ctx context.Context, what string, fetch func(marker string) (*string, error)) error {
	marker := ""
	for range maxPages {
		if err := ctx.Err(); err != nil {
			return err
		}
		next, err := fetch(marker)
		if err != nil {
			return err
		}
		if next == nil || *next == "" {
			return nil
		}
		if *next == marker {
			return fmt.Errorf("listing %s: Box returned the same page marker twice; stopping to avoid a loop", what)
		}
		marker = *next
	}
	return fmt.Errorf("listing %s: more than %d pages; stopping", what, maxPages)
}

// folderItems lists every item of a folder whose type is itemType.
func (d *providerData) folderItems(ctx context.Context, folderID, itemType string) ([]box.Item, error) {
	var out []box.Item
	err := d.eachFolderItem(ctx, folderID, itemType, func(it box.Item) error {
		out = append(out, it)
		return nil
	})
	return out, err
}

// eachFolderItem walks a folder's items of type itemType page by page;
// an error from fn stops the walk and is returned.
func (d *providerData) eachFolderItem(ctx context.Context, folderID, itemType string, fn func(box.Item) error) error {
	return eachPage(ctx, "folder "+folderID, func(marker string) (*string, error) {
		p, err := d.client.ListFolderItems(ctx, folderID, marker, d.limit())
		if err != nil {
			return nil, err
		}
		for _, it := range p.Entries {
			if it.Type != itemType {
				continue
			}
			if err := fn(it); err != nil {
				return nil, err
			}
		}
		return p.NextMarker, nil
	})
}

// matchName picks the item called name. Box keeps names unique in a folder
// without regard to case, so an exact match wins, and a match that ignores
// case is accepted when it is the only one. It returns every candidate
// when none or several match.
func matchName(items []box.Item, name string) (*box.Item, []box.Item) {
	var exact, folded []box.Item
	for _, it := range items {
		switch {
		case it.Name == name:
			exact = append(exact, it)
		case strings.EqualFold(it.Name, name):
			folded = append(folded, it)
		}
	}
	switch {
	case len(exact) == 1:
		return &exact[0], nil
	case len(exact) > 1:
		return nil, exact
	case len(folded) == 1:
		return &folded[0], nil
	}
	return nil, folded
}

func itemIDs(items []box.Item) string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return strings.Join(ids, ", ")
}
