package box

import (
	"net/http"
	"net/url"
	"strconv"
)

// markerListRequest is one page of a marker-paged GET list: marker ""
// is the first page, and limit 0 leaves Box's default.
func (c *Client) markerListRequest(path, marker string, limit int64) *apiRequest {
	r := c.api(http.MethodGet, path)
	q := url.Values{}
	if marker != "" {
		q.Set("marker", marker)
	}
	if limit > 0 {
		q.Set("limit", strconv.FormatInt(min(limit, maxListLimit), 10))
	}
	r.query = q
	return r
}
